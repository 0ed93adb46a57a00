/**
 * The capacity search (a breakpoint test): runs a staircase scenario one step at a time with any driver and
 * stops at the first step that breaks the SLO; the capacity is the last step that held.
 *
 *   const slo = resolveSlo(scenario.search.slo, userThresholds);     // --threshold overrides the bounds
 *   const { driver, capacity } = await runCapacitySearch({ scenario, slo, drive, base, log });
 */
export { mergeDriverResults } from "./merge.ts";
export { runCapacitySearch, type SearchOptions, type SearchResult } from "./search.ts";
export { type OwnedThreshold, resolveSlo, type SearchSlo } from "./slo.ts";
export { answerCounts, isGood, judgeStep, stepSubject } from "./step.ts";
