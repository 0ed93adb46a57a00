export { shellQuote } from "./environment.ts";
export { buildReportHtml, claimRuns } from "./page.ts";
