import type { Endpoint, JourneyOutcome } from "../../scenarios/journey-logic.js";
import type { Scenario } from "../../scenarios/types.ts";
import type { AckRecord, AppRunSummary, LatencySummary, TimeSeries } from "../results/types.ts";

export type { Endpoint, JourneyOutcome };
export type DriverPhase = "warmup" | "measure";

/** Options of `runDriver`; only `scenario`, `baseUrl`, `eventId` and `phase` are required. */
export interface DriverOptions {
  scenario: Scenario;
  /** The app's base URL (HAProxy in front of the nodes). Loopback only unless `allowRemote`. */
  baseUrl: string;
  /** The event the journeys use; create it first (`prepareEvent`). Warm up on a separate event. */
  eventId: string;
  /** "warmup" runs `arrival.warmupRate` for `arrival.warmupS`; "measure" runs `arrival.startRate` + `stages`. */
  phase: DriverPhase;
  /** Peak journeys/s for this call: the phase's rates scale so their peak equals it. */
  rateOverride?: number;
  /** Aborting stops the schedule and cuts in-flight journeys off at once; the result is still returned. */
  signal?: AbortSignal;
  /** Once per second of the window (seconds without traffic too), as the second closes. */
  onSecond?: (s: SecondStats) => void;
  /** Every hold/confirm/release answer (or its absence), as the client saw it: the audit's input. */
  onAck?: (r: AckRecord) => void;
  /** Called once when the window opens (epoch ms), so the caller can align fault times. */
  onStart?: (startedAtMs: number) => void;
  /** PRNG seed of every journey's choices; random when absent (the result reports it). */
  seed?: number;
  /**
   * Safety bound on journeys in flight; an arrival beyond it is dropped, never delayed: it counts as a failed
   * request (code `dropped`) whose latency runs until the run gave up on it (its time limit or the run's end).
   * Default 10,000.
   */
  maxInFlight?: number;
  /** Per-request time limit in ms (connection wait included). Default 10,000. */
  timeoutMs?: number;
  /** Most connections open at once: one keep-alive connection per in-flight request up to it. Default 10,000. */
  connections?: number;
  /** After the schedule ends, how long in-flight journeys may finish before they are cut off. Default timeoutMs + 2,000. */
  graceMs?: number;
  /**
   * Timed sends (arrivals, ends of think time) fall on a grid of this many ms, so that requests due together
   * leave in one wake-up; the grid times are the intended times latency runs from. 0: exact times. Default: the
   * time ~1.5 arrivals take at the phase's peak rate, between 1 and 5 ms.
   */
  tickMs?: number;
  /** keptSchedule is false when the p99 send lag (intended send time to the socket) exceeds this. Default 100 ms. */
  maxLagMs?: number;
  /** Ack times are ms since this epoch time; default the window start. */
  ackOriginMs?: number;
  /** userId prefix; default `w<seed>-` / `m<seed>-` by phase (ids stay unique across phases). */
  userPrefix?: string;
  /** Poll the event summary once a second to detect the sell-out (measure phase). Default true. */
  pollSoldOut?: boolean;
  /** Allow a non-loopback base URL (compose or multi-machine runs). */
  allowRemote?: boolean;
}

/** One closed second of the window (by completion time of requests). Latencies in ms. */
export interface SecondStats {
  phase: DriverPhase;
  /** Second index since the window start. */
  t: number;
  requests: number;
  errors: number;
  /** Confirmed bookings. */
  bookings: number;
  holds: number;
  conflicts: number;
  latencyP50: number;
  latencyP99: number;
  latencyMax: number;
  byEndpoint: Partial<Record<Endpoint, { count: number; errors: number; p50: number; p99: number }>>;
  journeysScheduled: number;
  journeysStarted: number;
  dropped: number;
  /** Journeys in flight at the end of the second. */
  inFlight: number;
  scheduleLagMaxMs: number;
}

/** The driver watching itself: if it fell behind, the run says so instead of under-reporting latency. */
export interface DriverHealth {
  /** CPU seconds of this process over the window (user + system; includes anything else in the process). */
  cpuS: number;
  cpuPercent: number;
  /**
   * Send lag of every request: when it was handed to a connection minus its intended send time (the arrival
   * for a journey's first request, the previous answer plus think time after), waiting inside the driver for a
   * connection included; for a dropped arrival or a request that never left, until it was given up.
   */
  maxLagMs: number;
  p99LagMs: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  dropped: number;
  peakInFlight: number;
  /** CPU µs of this process per request over the window (null without requests). */
  cpuUsPerRequest?: number | null;
  /** How the driver connects: the model, the bound, the most connections open at once. */
  connections?: { model: string; max: number; peak: number };
  keptSchedule: boolean;
  /** Why keptSchedule is false (empty when true). */
  problems: string[];
}

export type DriverSeries = Pick<
  TimeSeries,
  "t" | "latencyP50" | "latencyP99" | "requestsPerS" | "errorsPerS" | "bookingsPerS"
>;

/** HDR histograms of the window, values in microseconds, hdr-histogram-js compressed base64 encoding. */
export interface EncodedHistograms {
  unit: "us";
  all: string;
  byEndpoint: Partial<Record<Endpoint, string>>;
  /** Service time (from the actual send, not corrected for coordinated omission), for contrast. */
  serviceTime: string;
  scheduleLag: string;
}

/** What one phase measured. Field shapes match `AppRunSummary` where they share a name. */
export interface DriverResult {
  phase: DriverPhase;
  seed: number;
  window: {
    startedAt: string;
    startedAtMs: number;
    /** From the window start until the last journey ended (or was cut off). */
    durationS: number;
    /** Seconds of arrival schedule actually run (shorter when it stopped early). */
    scheduleS: number;
    endedBy: "schedule" | "sold-out" | "max-journeys" | "aborted";
  };
  journeys: AppRunSummary["journeys"] & { outcomes: Partial<Record<JourneyOutcome | "cut-off", number>> };
  requests: AppRunSummary["requests"];
  throughput: AppRunSummary["throughput"];
  /** All requests, from intended send time (coordinated omission corrected). */
  latency: LatencySummary;
  /** All requests, from actual send time (what a closed-loop tool would report). */
  serviceTime: LatencySummary;
  spectrum: Array<[number, number]>;
  errors: AppRunSummary["errors"];
  bookings: AppRunSummary["bookings"];
  sellOutS: number | null;
  series: DriverSeries;
  seconds: SecondStats[];
  health: DriverHealth;
  histograms: EncodedHistograms;
  /** Things the caller should see (a throwing callback, a failed sold-out poll). */
  warnings: string[];
}
