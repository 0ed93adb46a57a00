export { buildReportHtml, claimRuns } from "./page.ts";
export { shellQuote } from "./environment.ts";
