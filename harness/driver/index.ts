/**
 * The embedded load driver: an open-model load generator for one phase of a scenario against one app.
 *
 * ```ts
 * await prepareEvent({ baseUrl, eventId, scenario });                 // PUT /events/{eventId}
 * const warm = await runDriver({ scenario, baseUrl, eventId: `${eventId}-warmup`, phase: "warmup" });
 * const res = await runDriver({ scenario, baseUrl, eventId, phase: "measure", onAck, onSecond, signal });
 * ```
 *
 * Contract:
 * - **Open model** (k6 `ramping-arrival-rate`): journeys start on the arrival schedule whether or not earlier
 *   ones finished. Arrival i is due when the area under the rate curve reaches i; the scheduler releases every
 *   arrival already due on each wake-up (catching up after a late timer). Timed sends (arrivals, ends of think
 *   time) fall on a grid of `tickMs` (1-5 ms, ~1.5 arrivals at the peak rate) so that requests due together
 *   leave in one wake-up; the grid times are the intended times. An arrival that would exceed `maxInFlight`
 *   journeys is *dropped*, as k6's `dropped_iterations`, never delayed: it counts as a failed request (code
 *   `dropped`) whose latency runs from its arrival until the run gave up on it (its time limit or the run's end),
 *   so the worst stalls stay in the tail.
 * - **No coordinated omission**: every request's latency runs from its *intended* send time: the scheduled
 *   start for a journey's first request, the previous answer plus think time for later ones. The uncorrected
 *   service time (from the actual send) is reported beside it as `serviceTime`, for contrast. Every request is
 *   recorded, failures included (a timeout counts with the time it took).
 * - **Journeys** come from `scenarios/journey-logic.js` (shared with the k6 script); seeded by `seed`.
 * - **Errors**: 5xx, no answer (`timeout`, `connection_refused`, `connection_reset`, `cut_off`) and 4xx other
 *   than 409/410 count as errors, by API error code; 409/410 are normal flash-sale answers (bookings counts).
 * - **Acknowledgements**: `onAck` gets an `AckRecord` for every hold/confirm/release (ok / fail / info as
 *   Jepsen's history), in the warm-up too; with `ackOriginMs` their `t` shares one origin across phases.
 * - **Bounded**: at most `arrival.maxJourneys` journeys; the schedule ends on time (or at sell-out + `tailS`
 *   when `stopWhenSoldOut`, detected by a once-a-second summary poll on its own connection, not counted); then
 *   in-flight journeys get `graceMs` and are cut off. `signal` aborts at once. Targets loopback only unless
 *   `allowRemote`.
 * - **Connections** as a flash sale's clients: one keep-alive connection per in-flight request, up to
 *   `connections` (default 10,000), so the server sees every waiting client (raw sockets with prebuilt requests;
 *   one sweep enforces the time limits). Beyond the bound requests wait inside the driver, and that wait counts.
 * - **Self-monitoring**: CPU seconds and µs per request, event-loop delay, and every request's send lag (handed
 *   to a connection minus intended send time, the wait inside the driver included); `health.keptSchedule` is
 *   false when the p99 send lag exceeded `maxLagMs` (default 100) or arrivals were dropped, with
 *   `health.problems` saying why.
 * - **Phases**: each call runs one phase and returns its own result, so warm-up never mixes into the measured
 *   window. Warm up on a separate event with the same layout (warm-up holds would otherwise take seats).
 *
 * `DriverResult` carries what `AppRunSummary` needs from the driver (journeys, requests, throughput, latency,
 * spectrum, errors, bookings, sellOutS, the per-second series, driver health) plus the encoded HDR histograms
 * for histograms.json (values in µs).
 */
export { prepareEvent } from "./event.ts";
export { checkTarget } from "./http.ts";
export { runDriver } from "./run.ts";
export { arrivalTimes, phasePlan } from "./schedule.ts";
export type {
  DriverHealth,
  DriverOptions,
  DriverPhase,
  DriverResult,
  DriverSeries,
  EncodedHistograms,
  Endpoint,
  JourneyOutcome,
  SecondStats,
} from "./types.ts";
