import type { RunSummary } from "../harness/results/types.ts";
import { collectAlerts } from "./alerts.ts";
import { evaluateClaims } from "./claims.ts";
import { formatRatio } from "./format.ts";
import { shellQuote } from "./html/environment.ts";
import { claimRuns } from "./html/page.ts";
import { topologyMarkdown } from "./html/topology.ts";
import type { LoadedRun } from "./load.ts";
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

/** The verdict tables of a report view in Markdown, failures first, then a one-line-per-claim summary. */
export function buildViewMarkdown(view: ReportView): string {
  const alerts = collectAlerts(view);
  const fails = alerts.filter((a) => a.level === "fail");
  const warns = alerts.filter((a) => a.level === "warn");
  const out = [`## ${view.title}`, ""];
  if (fails.length > 0) {
    out.push(`> [!CAUTION]`, `> **Do not trust this run as is: ${fails.length} problem(s)**`);
    for (const a of fails) out.push(`> - ${cellText(`${a.scope}: ${a.message}`)}`);
    out.push("");
  }
  if (warns.length > 0) {
    out.push(`**Warnings (${warns.length})**`, "", ...warns.map((a) => `- ${a.scope}: ${a.message}`), "");
  }
  if (view.sideLegend) out.push(`**${view.sideLegend}**`, "");
  out.push("▲ = better (differences within 5% are a tie); ↑ higher / ↓ lower is better.", "");
  for (const p of view.pairings) out.push(table(p), "");
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
