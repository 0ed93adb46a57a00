/**
 * The k6 driver: statebench's scenarios on real k6 (scenarios/k6/script.js), with results read back into the
 * embedded driver's `DriverResult`, so `npm run bench -- --driver k6` uses k6 interchangeably.
 *
 * ```ts
 * await prepareEvent({ baseUrl, eventId, scenario });
 * const res = await runK6({ scenario, baseUrl, eventId, phase: "measure", runDir, onAck, onStart, signal });
 * res.k6.thresholds;                       // k6's own verdicts, beside the bench's
 * ```
 *
 * - `runK6(opts)`: one phase per k6 process (as `runDriver`); k6 from `opts.k6Bin`, `K6_BIN` or PATH, else a
 *   `K6NotFoundError` saying how to install it. Writes scenario.json, points.ndjson.gz (`--out json`),
 *   summary-export.json and k6.log to `runDir`. Sold-out polling and stop (SIGINT) as the embedded driver.
 * - `parseK6Ndjson(pathOrChunks, { scenario })`: streams k6's JSON output (gzip or plain) into a `K6Run`.
 * - `k6ResultToDriverResult(run, ctx)` / `k6Acks(run)`: the driver's result and the acknowledgement log.
 * - `parseK6Summary(json)` / `readK6Summary(path)`: `--summary-export` or `handleSummary` data.
 *
 * What differs from the embedded driver is reported in each result's `warnings`: latency from the actual send,
 * no schedule-lag figures (k6 drops a journey it cannot start on time: `dropped_iterations` -> dropped), and
 * per-second/ack callbacks only after k6 exits.
 */
export { findK6, K6_INSTALL_HINT, K6NotFoundError } from "./find.ts";
export { type K6Run, type ParseOptions, parseK6Ndjson } from "./parse.ts";
export { type K6Line, type K6MetricInfo, type K6Point, type K6Source, readK6Points } from "./points.ts";
export { K6_SCRIPT, K6_SYSTEM_TAGS, type K6DriverOptions, type K6DriverResult, type K6Extras, runK6 } from "./run.ts";
export { k6Summary } from "./run-info.ts";
export { type K6SummaryExport, type K6ThresholdVerdict, parseK6Summary, readK6Summary } from "./summary.ts";
export { type K6RunContext, k6Acks, k6ResultToDriverResult } from "./to-driver-result.ts";
