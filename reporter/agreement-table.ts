import { AGREEMENT_EXPLAINED, type DriverAgreement, driverAgreements } from "./agreement.ts";
import { formatNumber } from "./format.ts";
import type { ReportView } from "./view.ts";

/** A table as plain cells, rendered by both the Markdown and the HTML report. */
export interface CellTable {
  title: string;
  head: string[];
  rows: string[][];
  notes: string[];
  /** Run-folder-relative links: [label, path]. */
  links: Array<[string, string]>;
}

const pct = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`);
const ms = (x: number | undefined) => (x === undefined ? "—" : formatNumber(x));

/** One `--driver both` pair as a table: rates, drops, driver CPU, then p50/p99 per endpoint. */
export function agreementTable(a: DriverAgreement): CellTable {
  const e = a.embedded;
  const k = a.k6;
  const row = (label: string, x: string, y: string, diff = "") => [label, x, y, diff];
  const rows = [
    row("offered journeys/s (scheduled)", formatNumber(e.offeredJourneysPerS), formatNumber(k.offeredJourneysPerS)),
    row(
      "achieved journeys/s (started)",
      formatNumber(e.achievedJourneysPerS),
      formatNumber(k.achievedJourneysPerS),
      pct(a.throughputDiff),
    ),
    row("requests/s", formatNumber(e.requestsPerS), formatNumber(k.requestsPerS)),
    row("arrivals dropped", formatNumber(e.dropped), formatNumber(k.dropped)),
    row("saturated (dropped or behind)", e.saturated ? "YES" : "no", k.saturated ? "YES" : "no"),
    row("driver CPU µs/request", formatNumber(e.cpuUsPerRequest), formatNumber(k.cpuUsPerRequest)),
    row("all requests p50 ms, from the actual send (judged)", ms(e.sendP50), ms(k.sendP50), pct(a.p50Diff)),
    row("all requests p50 ms, from the intended send", ms(e.p50), "= actual send"),
    row("all requests p99 ms", ms(e.p99), ms(k.p99)),
  ];
  for (const p of a.endpoints) {
    const d = p.embedded && p.k6 && p.embedded.p50 > 0 ? p.k6.p50 / p.embedded.p50 - 1 : null;
    rows.push(row(`${p.endpoint} p50 ms (intended send)`, ms(p.embedded?.p50), ms(p.k6?.p50), pct(d)));
    rows.push(row(`${p.endpoint} p99 ms`, ms(p.embedded?.p99), ms(p.k6?.p99)));
  }
  return {
    title: `${a.scenario} · ${a.app}: ${a.verdict.toUpperCase()}`,
    head: ["", "embedded", "k6", "k6 vs embedded"],
    rows,
    notes: a.notes,
    links: k.dashboard ? [["k6 web dashboard", k.dashboard]] : [],
  };
}

/** The driver-agreement tables of a single-run view; empty unless the run used `--driver both`. */
export function agreementTables(view: ReportView): CellTable[] {
  if (view.mode !== "single") return [];
  return view.runs.flatMap((r) => driverAgreements(r.summary)).map(agreementTable);
}

/** The section in Markdown ("" when there is nothing to compare). */
export function agreementMarkdown(view: ReportView): string {
  const tables = agreementTables(view);
  if (tables.length === 0) return "";
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const out = ["### Driver agreement (k6 vs the embedded driver)", "", AGREEMENT_EXPLAINED, ""];
  for (const t of tables) {
    out.push(`#### ${t.title}`, "", `| ${t.head.map(cell).join(" | ")} |`, "|---|--:|--:|--:|");
    for (const r of t.rows) out.push(`| ${r.map(cell).join(" | ")} |`);
    out.push("", ...t.notes.map((n) => `- ${n}`), ...t.links.map(([l, p]) => `- [${l}](${p})`), "");
  }
  return out.join("\n");
}
