import type { Target, TargetName } from "./targets.ts";

/** One target's figures in one round. */
export interface RoundRow {
  round: number;
  target: TargetName;
  requests: number;
  ok: number;
  unexpected: Record<string, number>;
  reqPerS: number;
  appUsPerReq: number;
  /** The kernel's part of appUsPerReq. */
  appSysUsPerReq: number;
  stackUsPerReq: number;
  clientUsPerReq: number;
  p50Ms: number;
  p99Ms: number;
  lagP99Ms: number;
  /** Journal events per transaction in the round (stateful targets): how much the group commit gathered. */
  eventsPerTx: number | null;
}

/** One target over all rounds: medians, spread, and ratios to the hello-world of the same rounds. */
export interface TargetSummary {
  target: TargetName;
  description: string;
  rounds: number;
  requests: number;
  okShare: number;
  reqPerS: number;
  app: { median: number; min: number; max: number };
  /** The kernel's part of the app process's CPU per request (median). */
  appSys: number;
  stack: { median: number; min: number; max: number };
  /** Median over rounds of (this round's app CPU per request / the same round's hello-world's). */
  appRatio: { median: number; min: number; max: number };
  clientUsPerReq: number;
  p50Ms: number;
  p99Ms: number;
  lagP99Ms: number;
  /** Median journal events per transaction; null for targets without a journal. */
  eventsPerTx: number | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const spread = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

export function summarise(targets: Target[], rows: RoundRow[]): TargetSummary[] {
  const hello = new Map(rows.filter((r) => r.target === "hello").map((r) => [r.round, r.appUsPerReq]));
  return targets.map((t) => {
    const mine = rows.filter((r) => r.target === t.name);
    const requests = mine.reduce((n, r) => n + r.requests, 0);
    const perTx = mine.flatMap((r) => (r.eventsPerTx === null ? [] : [r.eventsPerTx]));
    return {
      target: t.name,
      description: t.description,
      rounds: mine.length,
      requests,
      okShare: mine.reduce((n, r) => n + r.ok, 0) / Math.max(1, requests),
      reqPerS: median(mine.map((r) => r.reqPerS)),
      app: spread(mine.map((r) => r.appUsPerReq)),
      appSys: median(mine.map((r) => r.appSysUsPerReq)),
      stack: spread(mine.map((r) => r.stackUsPerReq)),
      appRatio: spread(mine.map((r) => r.appUsPerReq / (hello.get(r.round) ?? Number.NaN))),
      clientUsPerReq: median(mine.map((r) => r.clientUsPerReq)),
      p50Ms: median(mine.map((r) => r.p50Ms)),
      p99Ms: median(mine.map((r) => r.p99Ms)),
      lagP99Ms: Math.max(...mine.map((r) => r.lagP99Ms)),
      eventsPerTx: perTx.length > 0 ? median(perTx) : null,
    };
  });
}

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "n/a");
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");

/** The Markdown table and the setup it was measured with. */
export function table(
  summary: TargetSummary[],
  setup: { rate: number; seconds: number; rounds: number; connections: number; pinned: boolean; command: string },
): string {
  const lines = [
    `Booking mix (section listing, hold, confirm) at ${setup.rate} req/s offered, ${setup.rounds} interleaved ` +
      `rounds of ${setup.seconds} s per target; CPU from /proc/<pid>/stat; medians over rounds (min–max).`,
    "",
    "| target | req/s | ok | app CPU µs/req | of which kernel | × hello-world | stack CPU µs/req | journal events/tx | journey p50 / p99 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const s of summary) {
    lines.push(
      `| ${s.target}: ${s.description} | ${f0(s.reqPerS)} | ${(s.okShare * 100).toFixed(1)}% | ` +
        `${f0(s.app.median)} (${f0(s.app.min)}–${f0(s.app.max)}) | ${f0(s.appSys)} | ` +
        `${f2(s.appRatio.median)} (${f2(s.appRatio.min)}–${f2(s.appRatio.max)}) | ` +
        `${f0(s.stack.median)} (${f0(s.stack.min)}–${f0(s.stack.max)}) | ` +
        `${s.eventsPerTx === null ? "—" : f2(s.eventsPerTx)} | ${f1(s.p50Ms)} / ${f1(s.p99Ms)} |`,
    );
  }
  const client = Math.max(...summary.map((s) => s.clientUsPerReq));
  const lag = Math.max(...summary.map((s) => s.lagP99Ms));
  lines.push(
    "",
    `Client: this process, undici Pool with ${setup.connections} keep-alive connections per target, open model ` +
      `(journeys start on schedule whatever the answers); it used at most ${f0(client)} µs of CPU per request ` +
      `(${f0((client * setup.rate) / 1e4)}% of a core at the offered rate), worst journey start lag p99 ` +
      `${f1(lag)} ms${setup.pinned ? "; client pinned to CPU 0, app processes to CPU 1" : ""}.`,
    `Stack CPU adds the target's PostgreSQL (every backend), Redis and worker; the hello-world has none.`,
    `Journal events/tx: a stateful node's appends per PostgreSQL transaction (its group commit); a transaction ` +
      `costs the node about the same CPU whatever its size.`,
    `Command: \`${setup.command}\``,
  );
  const bad = summary.filter((s) => s.okShare < 0.999);
  if (bad.length > 0) lines.push("", `Warning: unexpected answers from ${bad.map((s) => s.target).join(", ")}.`);
  return lines.join("\n");
}
