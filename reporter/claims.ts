import type { AppName, AppRunSummary, TimeSeries } from "../harness/results/types.ts";
import { CLAIMS, type ClaimDef, type ClaimId } from "./claims-catalog.ts";
import { formatNumber, formatPercent, formatRatio } from "./format.ts";
import { TIE_TOLERANCE } from "./verdict.ts";

/** "Massively" in the seed's performance claim: at least this factor better. */
export const MASSIVE_FACTOR = 2;
/** Highest error rate over the window for a stateless failover to count as routed around. */
export const FAILOVER_MAX_ERROR_RATE = 0.01;
/** An added node whose CPU never reached this % did not take any shards. */
export const ADDED_NODE_BUSY_PCT = 5;
/** Seconds skipped after the start and after a join before averaging throughput (ramp-up, hand-off). */
export const SETTLE_S = 5;

export type ClaimVerdict = "supported" | "contradicted" | "not-measured";

export interface ClaimResult {
  claim: ClaimDef;
  verdict: ClaimVerdict;
  /** One line per scenario/run looked at, and why nothing was looked at when not measured. */
  evidence: string[];
}

/** What the rules read: the results of one run (and its time series, for the scaling rule). */
export interface ClaimRun {
  runId: string;
  results: AppRunSummary[];
  series?: Map<string, TimeSeries>;
}

interface Ctx {
  runs: ClaimRun[];
  /** Prefix evidence with the run id when several runs are judged together. */
  scope(run: ClaimRun, r: { scenario: string; app?: AppName }): string;
}

type Rule = (ctx: Ctx) => { verdict: ClaimVerdict; evidence: string[] };

const hasFault = (r: AppRunSummary, action: string) => r.faults.some((f) => f.action === action);
const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b !== 0 ? a / b : null);
const lowerBeyondTie = (x: number, than: number) => x < than * (1 - TIE_TOLERANCE);
const notHigherBeyondTie = (x: number, than: number) => x <= than * (1 + TIE_TOLERANCE);

/** Stateless/stateful pairs of the same scenario within one run. */
function appPairs(run: ClaimRun): Array<{ scenario: string; sl: AppRunSummary; sf: AppRunSummary }> {
  const out: Array<{ scenario: string; sl: AppRunSummary; sf: AppRunSummary }> = [];
  for (const sl of run.results.filter((r) => r.app === "stateless")) {
    const sf = run.results.find((r) => r.app === "stateful" && r.scenario === sl.scenario);
    if (sf) out.push({ scenario: sl.scenario, sl, sf });
  }
  return out;
}

/** All-or-nothing over the looked-at cases: none → not measured; any contradiction → contradicted. */
function conclude(
  cases: Array<{ ok: boolean; line: string }>,
  none: string,
): { verdict: ClaimVerdict; evidence: string[] } {
  if (cases.length === 0) return { verdict: "not-measured", evidence: [none] };
  return { verdict: cases.every((c) => c.ok) ? "supported" : "contradicted", evidence: cases.map((c) => c.line) };
}

const statefulFaster: Rule = (ctx) => {
  const cases: Array<{ ok: boolean; line: string }> = [];
  for (const run of ctx.runs) {
    for (const { scenario, sl, sf } of appPairs(run)) {
      const latGain = ratio(sl.latency.p99, sf.latency.p99);
      const cpuGain = ratio(sl.cpu.secondsPer1kBookings, sf.cpu.secondsPer1kBookings);
      const thr = ratio(sf.throughput.bookingsPerS, sl.throughput.bookingsPerS);
      if (latGain === null && cpuGain === null) continue;
      const massive = (latGain ?? 0) >= MASSIVE_FACTOR || (cpuGain ?? 0) >= MASSIVE_FACTOR;
      const keepsUp = thr === null || thr >= 1 - TIE_TOLERANCE;
      const auditOk = sf.audit.valid !== false;
      cases.push({
        ok: massive && keepsUp && auditOk,
        line:
          `${ctx.scope(run, { scenario })}: p99 ${formatNumber(sl.latency.p99)} → ${formatNumber(sf.latency.p99)} ms ` +
          `(stateful ${formatRatio(latGain)} better), CPU-s/1k bookings ${formatNumber(sl.cpu.secondsPer1kBookings)} → ` +
          `${formatNumber(sf.cpu.secondsPer1kBookings)} (${formatRatio(cpuGain)} better), bookings/s ` +
          `${formatNumber(sl.throughput.bookingsPerS)} → ${formatNumber(sf.throughput.bookingsPerS)} (${formatRatio(thr)})` +
          (auditOk ? "" : "; stateful audit FAILED"),
      });
    }
  }
  return conclude(cases, "no scenario ran both apps with latency or CPU figures");
};

const asyncPersistence: Rule = (ctx) => {
  const cases: Array<{ ok: boolean; line: string }> = [];
  let asyncRuns = 0;
  for (const run of ctx.runs) {
    for (const r of run.results.filter((x) => x.app === "stateful" && x.appConfig.persistence === "async")) {
      asyncRuns++;
      if (!hasFault(r, "kill-node") || r.audit.valid === "unknown") continue;
      cases.push({
        ok: r.audit.lost === 0,
        line:
          `${ctx.scope(run, r)}: persistence=async, node SIGKILLed: ${r.audit.lost} of ${r.audit.acknowledged} ` +
          `acknowledged bookings lost`,
      });
    }
  }
  return conclude(
    cases,
    asyncRuns === 0
      ? "no stateful result ran with persistence=async"
      : "persistence=async ran, but no node was killed (or the audit could not decide), so losing un-persisted state was not tested",
  );
};

const insertOnlyLog: Rule = (ctx) => {
  const cases: Array<{ ok: boolean; line: string }> = [];
  for (const run of ctx.runs) {
    for (const { scenario, sl, sf } of appPairs(run)) {
      const [s0, s1, c0, c1] = [
        sl.db.statementsPerBooking,
        sf.db.statementsPerBooking,
        sl.db.commitsPerBooking,
        sf.db.commitsPerBooking,
      ];
      if (s0 === null || s1 === null || c0 === null || c1 === null) continue;
      cases.push({
        ok: lowerBeyondTie(s1, s0) && notHigherBeyondTie(c1, c0),
        line:
          `${ctx.scope(run, { scenario })}: DB statements/booking ${formatNumber(s0)} (stateless) vs ` +
          `${formatNumber(s1)} (stateful event log), commits/booking ${formatNumber(c0)} vs ${formatNumber(c1)}`,
      });
    }
  }
  return conclude(cases, "no scenario ran both apps with DB statements and commits per booking");
};

const nodeDownStateLost: Rule = (ctx) => {
  const decided: Array<{ run: ClaimRun; r: AppRunSummary }> = [];
  for (const run of ctx.runs) {
    for (const r of run.results) {
      if (r.app === "stateful" && hasFault(r, "kill-node") && r.audit.valid !== "unknown") decided.push({ run, r });
    }
  }
  if (decided.length === 0) {
    return { verdict: "not-measured", evidence: ["no stateful result with a killed node and a decided audit"] };
  }
  const evidence = decided.map(
    ({ run, r }) =>
      `${ctx.scope(run, r)}: persistence=${r.appConfig.persistence ?? "default"}, ${r.audit.lost} lost of ` +
      `${r.audit.acknowledged} acknowledged, ${r.audit.recovered} recovered after cold restart`,
  );
  // The claim predicts loss: one lost acknowledgement anywhere supports it.
  return { verdict: decided.some(({ r }) => r.audit.lost > 0) ? "supported" : "contradicted", evidence };
};

/** node-N processes numbered above the starting node count; null when the start count is unknown. */
export function addedNodes(r: AppRunSummary): string[] | null {
  const start = r.appConfig.nodes;
  if (typeof start !== "number") return null;
  return Object.keys(r.cpu.maxPercentByProcess).filter((p) => {
    const m = /^node-(\d+)$/.exec(p);
    return m !== null && Number(m[1]) > start;
  });
}

const shardsMove: Rule = (ctx) => {
  const cases: Array<{ ok: boolean; line: string }> = [];
  for (const run of ctx.runs) {
    for (const r of run.results.filter((x) => x.app === "stateful" && hasFault(x, "add-nodes"))) {
      const a = r.audit;
      const auditOk = a.valid === true && a.lost === 0 && a.doubleSold === 0;
      const added = addedNodes(r);
      const idle = (added ?? []).filter((p) => (r.cpu.maxPercentByProcess[p] ?? 0) < ADDED_NODE_BUSY_PCT);
      const busy =
        added === null
          ? "added nodes not identifiable (no starting node count)"
          : added.length === 0
            ? "no added node-N process was sampled"
            : `added ${added.map((p) => `${p} peak ${formatNumber(r.cpu.maxPercentByProcess[p] ?? 0)}% CPU`).join(", ")}`;
      cases.push({
        ok: auditOk && idle.length === 0 && added !== null && added.length > 0,
        line:
          `${ctx.scope(run, r)}: audit ${a.valid === true ? "passed" : "did not pass"} (${a.lost} lost, ` +
          `${a.doubleSold} double-sold), error rate ${formatPercent(r.errors.rate)}; ${busy}`,
      });
    }
  }
  return conclude(cases, "no stateful result in which nodes were added");
};

const writeQueue: Rule = (ctx) => {
  const cases: Array<{ ok: boolean; line: string }> = [];
  const all = ctx.runs.flatMap((run) => run.results.filter((r) => r.app === "stateless").map((r) => ({ run, r })));
  for (const q of all.filter((x) => x.r.appConfig.writeMode === "queue")) {
    for (const s of all.filter((x) => x.r.appConfig.writeMode === "sync" && x.r.scenario === q.r.scenario)) {
      const [cq, cs, sq, ss] = [
        q.r.db.commitsPerBooking,
        s.r.db.commitsPerBooking,
        q.r.db.statementsPerBooking,
        s.r.db.statementsPerBooking,
      ];
      if (cq === null || cs === null || sq === null || ss === null) continue;
      cases.push({
        ok: lowerBeyondTie(cq, cs) && notHigherBeyondTie(sq, ss),
        line:
          `${q.r.scenario}: commits/booking ${formatNumber(cs)} (sync, ${s.run.runId}) vs ${formatNumber(cq)} ` +
          `(queue, ${q.run.runId}); statements/booking ${formatNumber(ss)} vs ${formatNumber(sq)}`,
      });
    }
  }
  const modes = [...new Set(all.map((x) => String(x.r.appConfig.writeMode ?? "unset")))].join(", ");
  return conclude(
    cases,
    `needs the stateless app with writeMode=queue and writeMode=sync in the same scenario (this report has: ` +
      `${modes || "no stateless result"}); compare two runs with statebench report --compare`,
  );
};

const statelessFailover: Rule = (ctx) => {
  const cases: Array<{ ok: boolean; line: string }> = [];
  for (const run of ctx.runs) {
    for (const r of run.results.filter((x) => x.app === "stateless" && hasFault(x, "kill-node"))) {
      cases.push({
        ok: r.audit.valid === true && r.errors.rate <= FAILOVER_MAX_ERROR_RATE,
        line:
          `${ctx.scope(run, r)}: error rate ${formatPercent(r.errors.rate)} (${r.errors.count} errors), p99 ` +
          `${formatNumber(r.latency.p99)} ms, audit ${r.audit.valid === true ? "passed" : "did not pass"}`,
      });
    }
  }
  return conclude(cases, "no stateless result in which a node was killed");
};

/** Mean requests/s before and after the first join, skipping SETTLE_S after the start and after the join. */
export function joinGain(ts: TimeSeries, joinAtS: number): number | null {
  const before: number[] = [];
  const after: number[] = [];
  ts.t.forEach((t, i) => {
    const v = ts.requestsPerS[i];
    if (v === undefined) return;
    if (t >= SETTLE_S && t < joinAtS) before.push(v);
    else if (t >= joinAtS + SETTLE_S) after.push(v);
  });
  if (before.length === 0 || after.length === 0) return null;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return ratio(mean(after), mean(before));
}

const harderToScale: Rule = (ctx) => {
  const cases: Array<{ ok: boolean; line: string }> = [];
  const skipped: string[] = [];
  for (const run of ctx.runs) {
    for (const { scenario, sl, sf } of appPairs(run)) {
      const joinSl = sl.faults.find((f) => f.action === "add-nodes");
      const joinSf = sf.faults.find((f) => f.action === "add-nodes");
      if (!joinSl || !joinSf) continue;
      const tsSl = run.series?.get(`${scenario}/stateless`);
      const tsSf = run.series?.get(`${scenario}/stateful`);
      const gSl = tsSl ? joinGain(tsSl, joinSl.atS) : null;
      const gSf = tsSf ? joinGain(tsSf, joinSf.atS) : null;
      const where = ctx.scope(run, { scenario });
      if (gSl === null || gSf === null) {
        skipped.push(`${where}: no time series around the join`);
        continue;
      }
      const line = `${where}: requests/s after the join ÷ before: stateless ${formatRatio(gSl)}, stateful ${formatRatio(gSf)}`;
      if (gSl < 1 + TIE_TOLERANCE && gSf < 1 + TIE_TOLERANCE) {
        skipped.push(`${line} — neither gained, so capacity did not bind`);
        continue;
      }
      cases.push({ ok: gSf < gSl * (1 - TIE_TOLERANCE), line });
    }
  }
  const result = conclude(cases, "no scenario added nodes to both apps");
  if (cases.length === 0 && skipped.length > 0) result.evidence = skipped;
  else result.evidence.push(...skipped);
  return result;
};

const RULES: Record<ClaimId, Rule> = {
  "stateful-faster": statefulFaster,
  "async-persistence": asyncPersistence,
  "insert-only-log": insertOnlyLog,
  "node-down-state-lost": nodeDownStateLost,
  "shards-move": shardsMove,
  "write-queue": writeQueue,
  "stateless-failover": statelessFailover,
  "stateful-harder-to-scale": harderToScale,
};

/** Judges every seed claim against one or more runs by the rules above; never hand-written. */
export function evaluateClaims(runs: ClaimRun[]): ClaimResult[] {
  const multi = runs.length > 1;
  const ctx: Ctx = {
    runs,
    scope: (run, r) => [multi ? run.runId : null, r.scenario, r.app].filter(Boolean).join(" · "),
  };
  return CLAIMS.map((claim) => ({ claim, ...RULES[claim.id](ctx) }));
}
