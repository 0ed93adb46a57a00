/**
 * The report: reads a run folder (`results/<run-id>/`) and writes `report.html` (self-contained, charts as PNG
 * data URLs) and `summary.md` (the verdict table in Markdown).
 */
export { type Alert, CPU_SATURATION_PCT, collectAlerts } from "./alerts.ts";
export { type ClaimResult, type ClaimRun, type ClaimVerdict, evaluateClaims } from "./claims.ts";
export { CLAIMS, type ClaimDef } from "./claims-catalog.ts";
export { runReportCli, USAGE, type WrittenReport, writeCompareReport, writeReport } from "./cli.ts";
export { buildReportHtml } from "./html/index.ts";
export { type LoadedRun, loadRun, RunLoadError } from "./load.ts";
export { buildCompareMarkdown, buildSummaryMarkdown, buildViewMarkdown } from "./markdown.ts";
export { compareValues, METRICS, TIE_TOLERANCE, type VerdictRow, verdictRows } from "./verdict.ts";
export { compareView, type Pairing, type ReportView, singleRunView } from "./view.ts";
