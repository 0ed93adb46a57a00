import type { RunSummary } from "../harness/results/types.ts";
import { agreementMarkdown } from "./agreement-table.ts";
import { collectAlerts } from "./alerts.ts";
import { evaluateClaims } from "./claims.ts";
import { formatNumber, formatRatio } from "./format.ts";
import { shellQuote } from "./html/environment.ts";
import { claimRuns } from "./html/page.ts";
import { topologyMarkdown } from "./html/topology.ts";
import type { LoadedRun } from "./load.ts";
import { reportRttMs, roundTripCaveat, roundTripRows } from "./round-trips.ts";
import { type VerdictRow, verdictRows } from "./verdict.ts";
import { compareView, type ReportView, singleRunView } from "./view.ts";

const cellText = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function mdCell(row: VerdictRow, side: "left" | "right"): string {
  const text = cellText(row[side].text);
  return row.better === side ? `**${text}** ▲` : text;
}

function table(p: ReportView["pairings"][number]): string {
  const [l, r] = [p.left.label, p.right.label].map(cellText);
  const lines = [`### ${p.title}`, "", `| metric | ${l} | ${r} | ${r} ÷ ${l} |`, "|---|--:|--:|--:|"];
  for (const row of verdictRows(p.left.result, p.right.result)) {
    const unit = row.metric.unit && row.metric.unit !== "%" ? ` (${row.metric.unit})` : "";
    const dir = row.metric.group === "trust" ? "" : row.metric.direction === "higher" ? " ↑" : " ↓";
    lines.push(
      `| ${row.metric.label}${unit}${dir} | ${mdCell(row, "left")} | ${mdCell(row, "right")} | ${row.metric.noRatio ? "" : formatRatio(row.ratio)} |`,
    );
  }
  return lines.join("\n");
}

/** Each app's capacity at the SLO, when the run has a capacity search: the head of the report. */
function capacityMarkdown(view: ReportView): string[] {
  const rows = view.pairings.flatMap((p) =>
    [p.left, p.right].flatMap((s) => {
      const c = s.result?.capacity;
      if (!c) return [];
      const broke = c.steps.find((x) => !x.held);
      const ended =
        c.endedBy === "top-step" ? "every step held" : c.endedBy === "slo" ? "SLO broke" : "driver fell behind";
      const at = broke ? ` at ${formatNumber(broke.offeredJourneysPerS)} journeys/s: ${broke.broken.join("; ")}` : "";
      return [
        `| ${cellText(view.mode === "compare" ? `${p.title} · ${s.label}` : s.label)} | ${formatNumber(c.journeysPerS)} | ${formatNumber(c.bookingsPerS)} | ${cellText(`${ended}${at}`)} |`,
      ];
    }),
  );
  if (rows.length === 0) return [];
  const slo = view.pairings.flatMap((p) => [p.left, p.right]).find((s) => s.result?.capacity)?.result?.capacity;
  return [
    `### Capacity at the SLO (${cellText(slo?.slo.thresholds.join(", ") ?? "")})`,
    "",
    "| app | journeys/s | bookings/s | search ended |",
    "|---|--:|--:|---|",
    ...rows,
    "",
  ];
}

/** Each scenario's round trips per endpoint with the projected latencies, under the caveat that they are a model. */
function roundTripsMarkdown(view: ReportView, rttMs: number): string[] {
  const ms = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(2));
  const out: string[] = [];
  for (const p of view.pairings) {
    const rows = [p.left, p.right].flatMap((s) =>
      roundTripRows(s.result, rttMs).map(
        (r) =>
          `| ${cellText(s.label)} | ${r.endpoint} | ${[r.rt.lb, r.rt.forward, r.rt.redis, r.rt.postgres, r.rt.total].map(formatNumber).join(" | ")} ` +
          `| ${ms(r.measured?.p50)} | ${ms(r.measured?.p99)} | *${ms(r.projected?.p50)}* | *${ms(r.projected?.p99)}* |`,
      ),
    );
    if (rows.length === 0) continue;
    out.push(
      `#### ${cellText(p.title)}`,
      "",
      `| app | endpoint | LB | forward | Redis | PostgreSQL | total | p50 ms | p99 ms | *model p50 at ${rttMs} ms RTT* | *model p99 at ${rttMs} ms RTT* |`,
      "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
      ...rows,
      "",
    );
  }
  if (out.length === 0) return [];
  return ["### Network round trips (model)", "", `> [!NOTE]`, `> ${roundTripCaveat(rttMs)}`, "", ...out];
}

/** The verdict tables of a report view in Markdown, failures first, then a one-line-per-claim summary. */
export function buildViewMarkdown(view: ReportView, opts: { rttMs?: number } = {}): string {
  const alerts = collectAlerts(view);
  const fails = alerts.filter((a) => a.level === "fail");
  const warns = alerts.filter((a) => a.level === "warn");
  const findings = alerts.filter((a) => a.level === "finding");
  const out = [`## ${view.title}`, ""];
  if (fails.length > 0) {
    out.push(`> [!CAUTION]`, `> **Do not trust this run as is: ${fails.length} problem(s)**`);
    for (const a of fails) out.push(`> - ${cellText(`${a.scope}: ${a.message}`)}`);
    out.push("");
  }
  if (findings.length > 0) {
    out.push(`**Findings (${findings.length})**`, "", ...findings.map((a) => `- ${a.scope}: ${a.message}`), "");
  }
  if (warns.length > 0) {
    out.push(`**Warnings (${warns.length})**`, "", ...warns.map((a) => `- ${a.scope}: ${a.message}`), "");
  }
  out.push(...capacityMarkdown(view));
  if (view.sideLegend) out.push(`**${view.sideLegend}**`, "");
  out.push("▲ = better (differences within 5% are a tie); ↑ higher / ↓ lower is better.", "");
  for (const p of view.pairings) out.push(table(p), "");
  out.push(...roundTripsMarkdown(view, reportRttMs(view, opts.rttMs)));
  const drivers = agreementMarkdown(view);
  if (drivers) out.push(drivers);
  out.push(...topologyMarkdown(view));
  const claims = evaluateClaims(claimRuns(view));
  out.push("### Claims of the seed articles", "", "| claim | verdict |", "|---|---|");
  for (const c of claims) out.push(`| ${cellText(c.claim.headline)} | ${c.verdict.replace("-", " ")} |`);
  out.push("");
  for (const run of view.runs)
    out.push(`Command (${run.environment.runId}): \`${shellQuote(run.environment.command)}\``);
  return `${out.join("\n")}\n`;
}

function bare(summary: RunSummary): LoadedRun {
  return {
    dir: "",
    summary: { ...summary, warnings: summary.warnings ?? [], skipped: summary.skipped ?? [] },
    environment: summary.environment,
    series: new Map(),
    problems: [],
  };
}

/**
 * The verdict table of a run in Markdown (for pull requests, CI logs and the bench's closing table).
 * @example process.stdout.write(buildSummaryMarkdown(JSON.parse(readFileSync("results/x/summary.json", "utf8"))))
 */
export function buildSummaryMarkdown(summary: RunSummary): string {
  return buildViewMarkdown(singleRunView(bare(summary)));
}

/** Two runs (before → after) compared per scenario and app, in Markdown. */
export function buildCompareMarkdown(before: RunSummary, after: RunSummary): string {
  return buildViewMarkdown(compareView(bare(before), bare(after)));
}
