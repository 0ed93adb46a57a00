import { existsSync, readFileSync } from "node:fs";

/**
 * An intended change of a gated metric, accepted in review: the landing that changes a cost on purpose (the
 * stateful app now replicates availability between nodes, so it writes more) says so in `.ci/accepted-changes.json`,
 * and the diff of that file is reviewed with the code. An entry holds for one baseline commit only: once the
 * landing is accepted and the baseline moves past it, the change is the new normal and the entry goes stale
 * (the job lists stale entries so they are removed, never silently masking a later regression).
 */
export interface AcceptedChange {
  /** The baseline commit the change is measured against (a prefix of its hash is enough). */
  baseline: string;
  /** `<scenario>/<app>/<metric>` as the regression table names it; `*` matches one whole part. */
  metric: string;
  /** The worst median accepted for the candidate (for a lower-is-better metric: at most this much). */
  worstAccepted: number;
  /** Why the change is intended. */
  why: string;
  /** Who reviewed it, where (e.g. "coordinator, landing of issue 14"). */
  reviewed: string;
}

export const ACCEPTED_FILE = ".ci/accepted-changes.json";

/** Reads the accepted changes; a malformed file is an error (a gate must not ignore what it cannot read). */
export function loadAccepted(path = ACCEPTED_FILE): AcceptedChange[] {
  if (!existsSync(path)) return [];
  const raw = JSON.parse(readFileSync(path, "utf8")) as { changes?: unknown };
  const list = Array.isArray(raw.changes) ? raw.changes : [];
  return list.map((c, i) => {
    const e = c as Partial<AcceptedChange>;
    const bad = (f: string) => new Error(`${path}: changes[${i}].${f} is missing or wrong`);
    if (typeof e.baseline !== "string" || !/^[0-9a-f]{7,40}$/.test(e.baseline)) throw bad("baseline (a commit hash)");
    if (typeof e.metric !== "string" || e.metric.split("/").length !== 3) throw bad("metric (scenario/app/metric)");
    if (typeof e.worstAccepted !== "number" || !Number.isFinite(e.worstAccepted)) throw bad("worstAccepted");
    if (typeof e.why !== "string" || e.why.trim() === "") throw bad("why");
    if (typeof e.reviewed !== "string" || e.reviewed.trim() === "") throw bad("reviewed");
    return e as AcceptedChange;
  });
}

const matches = (pattern: string, key: string) => {
  const p = pattern.split("/");
  const k = key.split("/");
  return p.length === k.length && p.every((part, i) => part === "*" || part === k[i]);
};

/** The entry accepting a change of `key` against this baseline, if any. */
export function acceptedFor(list: AcceptedChange[], baselineCommit: string, key: string): AcceptedChange | undefined {
  return list.find((c) => baselineCommit.startsWith(c.baseline) && matches(c.metric, key));
}

/** Entries for another baseline: to delete. */
export function staleAccepted(list: AcceptedChange[], baselineCommit: string): AcceptedChange[] {
  return list.filter((c) => !baselineCommit.startsWith(c.baseline));
}
