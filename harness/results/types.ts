/**
 * The results format: what `npm run bench` writes to `results/<run-id>/` and what the reporter, the k6 importer
 * and the CI comparer read. Layout of a run folder:
 *
 *   environment.json                     RunEnvironment
 *   summary.json                         RunSummary (every scenario x app)
 *   summary.md                           the verdict table in Markdown
 *   report.html                          the self-contained report
 *   <scenario>/<app>/timeseries.json     TimeSeries
 *   <scenario>/<app>/acks.ndjson         AckRecord per line: the raw acknowledgement log the audit checks
 *   <scenario>/<app>/histograms.json     HDR histograms (base64, hdr-histogram-js encoding) per endpoint
 */
export type AppName = "stateless" | "stateful";

export interface RunEnvironment {
  runId: string;
  startedAt: string;
  /** The exact command line, so a reader can rerun it. */
  command: string[];
  git: { commit: string | null; dirty: boolean };
  versions: { node: string; postgres: string | null; redis: string | null; haproxy: string | null; statebench: string };
  os: { platform: string; release: string; arch: string };
  cpu: { model: string; cores: number };
  memoryGiB: number;
  /** Every knob of the run (profile, rate, seats, nodes, node CPU, app modes, driver). */
  knobs: Record<string, unknown>;
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export interface EndpointSummary {
  count: number;
  /** Unexpected outcomes only: 5xx, network errors, timeouts (409/410 are normal answers in a flash sale). */
  errors: number;
  latency: LatencySummary;
}

/** Jepsen-style checker result: `false` wins when composing, a crashed checker is `"unknown"`. */
export interface AuditResult {
  valid: true | false | "unknown";
  /** Confirmations acknowledged (200) to clients. */
  acknowledged: number;
  /** Acknowledged but missing (or with another seat/user) after the cold restart. */
  lost: number;
  /** Present in the database but never attempted by any client. */
  unexpected: number;
  /** Outcome unknown to the client (timeout, 5xx, connection reset) yet present: fine, counted for the record. */
  recovered: number;
  /** Outcome unknown and absent: fine as well. */
  indeterminate: number;
  /** Seats with more than one booking. */
  doubleSold: number;
  /** Sold count from the API after restart vs rows in the database. */
  soldApi: number | null;
  soldDb: number | null;
  /** First few offending ids, for the report. */
  examples: string[];
  /** Human-readable findings, first the worst. */
  notes: string[];
}

export interface ThresholdResult {
  expr: string;
  ok: boolean;
  actual: number | null;
  /** Who set it: the scenario (a finding when broken) or the user's `--threshold` (exit code 99 when broken).
   * Absent in summaries written before the distinction. */
  setBy?: "scenario" | "user";
}

/** One step of a capacity search, over its ramp and hold (requests of its journeys, drain included). */
export interface CapacityStep {
  /** Journeys/s the step offered: its target rate. */
  offeredJourneysPerS: number;
  /** Journeys/s started over the step's schedule. */
  journeysPerS: number;
  requestsPerS: number;
  /** Answers that were neither errors nor shed (2xx, 409, 410), per second. */
  goodputPerS: number;
  bookingsPerS: number;
  p50Ms: number;
  p99Ms: number;
  /** Share of answers that were errors or shed (503): what the SLO's error bound is judged on. */
  errorRate: number;
  /** Share of answers that were 503 (the app or its load balancer shedding load). */
  shedRate: number;
  keptSchedule: boolean;
  held: boolean;
  /** What broke the SLO (empty when the step held), e.g. "p99<=250 (actual 412)". */
  broken: string[];
}

/** A capacity search: the last step that held the SLO, and every step run. */
export interface CapacityResult {
  /** Journeys/s and bookings/s of the last step that held (0 when even the first broke the SLO). */
  journeysPerS: number;
  bookingsPerS: number;
  /** The SLO each step was held to; `p99Ms`/`errorRate` are null when the SLO has no such bound. */
  slo: { p99Ms: number | null; errorRate: number | null; thresholds: string[] };
  /** Why the search stopped: a step broke the SLO, the driver fell behind, or the staircase ended first. */
  endedBy: "slo" | "driver" | "top-step";
  steps: CapacityStep[];
}

export interface FaultRecord {
  /** Seconds since the start of the measured window. */
  atS: number;
  action: string;
  detail: string;
}

export interface AppRunSummary {
  scenario: string;
  app: AppName;
  /** App knobs as run: writeMode, persistence, granularity, nodes, nodeCpu. */
  appConfig: Record<string, string | number | null>;
  driver: DriverInfo;
  window: { startedAt: string; durationS: number };
  journeys: { scheduled: number; started: number; completed: number; dropped: number };
  requests: { total: number; byEndpoint: Record<string, EndpointSummary>; byStatus: Record<string, number> };
  throughput: { requestsPerS: number; journeysPerS: number; bookingsPerS: number };
  latency: LatencySummary;
  /**
   * Latency from each request's actual send (service time), beside `latency`, which runs from the intended send.
   * For k6 the two are the same (k6 measures from the actual send). Absent in summaries written before it was kept.
   */
  serviceTime?: LatencySummary;
  /** HdrHistogram percentile spectrum of all requests: [percentile, ms]. */
  spectrum: Array<[number, number]>;
  errors: { count: number; rate: number; byCode: Record<string, number> };
  bookings: { holds: number; conflicts: number; confirmed: number; expired: number; released: number };
  /** Seconds from window start to the first sold-out summary; null when it did not sell out. */
  sellOutS: number | null;
  db: {
    statements: number;
    commits: number;
    rowsWritten: number;
    statementsPerBooking: number | null;
    commitsPerBooking: number | null;
    rowsWrittenPerBooking: number | null;
  };
  redis: { commands: number; commandsPerBooking: number | null } | null;
  /** Stateful app: events per journal transaction (group commit efficiency). */
  journal: { eventsPerTransaction: number | null } | null;
  /**
   * Stateful app: where its actor-addressed requests (hold, confirm, release, booking read, event creation) were
   * served, from the nodes' /metrics counters over the measured window (nodes killed during it are missing):
   * `local` reached the owning node with no hop, `forwarded` took one hop, `unavailable` got a 503 from routing.
   * `forwardedShare` = forwarded / (local + forwarded + unavailable), null without such requests. Null for the
   * stateless app (any replica serves any request).
   */
  routing: RoutingSummary | null;
  /**
   * Sequential network round trips on each endpoint's critical path (`harness/round-trips/model.ts`): a model of
   * the app as configured, checked on the wire against the apps by a test, not measured in this run. The report
   * projects latencies to a datacenter RTT with it. Absent in summaries written before it existed.
   */
  roundTrips?: Record<string, RoundTripCounts>;
  /** How far availability reads (summary, listing) may lag acknowledged writes, as the app declares it (0: exact). */
  availability: { stalenessBoundMs: number };
  cpu: {
    secondsByRole: Record<string, number>;
    secondsPer1kBookings: number | null;
    maxPercentByProcess: Record<string, number>;
  };
  memory: { peakRssMbByRole: Record<string, number> };
  driverHealth: { cpuS: number; maxLagMs: number; p99LagMs: number; keptSchedule: boolean };
  audit: AuditResult;
  thresholds: ThresholdResult[];
  faults: FaultRecord[];
  warnings: string[];
  /** Answers with HTTP 503 that shed load (an app's admission control or HAProxy: `{"error":"overloaded"}`), and
   * their share of all answers. Absent in summaries written before it was recorded; in summaries written before
   * `unavailable` it counts every 503. */
  shed?: { requests: number; rate: number };
  /** Answers with HTTP 503 `unavailable` (a shard moving during a failover or rebalance, storage down): errors,
   * not load shedding. Absent in summaries written before it was recorded. */
  unavailable?: { requests: number; rate: number };
  /** Answers that were neither errors nor shed, per second of the window. Absent in older summaries. */
  goodputPerS?: number;
  /** The capacity scenario's search result; null for other scenarios, absent in older summaries. */
  capacity?: CapacityResult | null;
  /** The whole machine during the measured window. Absent in summaries written before it was recorded; null when
   * it could not be measured (no /proc/stat, or an external target whose app runs outside the harness's view). */
  machine?: MachineLoad | null;
  /** Where each component ran and how its CPU/RSS were read. Absent in summaries written before it was recorded. */
  topology?: Topology;
  /** What only a k6 run has (harness/k6): its VUs, its own CPU per request, its files. Absent for the embedded driver. */
  k6?: K6RunInfo;
}

/** A k6 run's VU sizing, cost and files (paths relative to the run folder). */
export interface K6RunInfo {
  vus: { preAllocated: number; max: number; peak: number };
  /** k6's CPU µs per request during the load (its start-up excluded: `startupCpuS`). */
  cpuUsPerRequest: number | null;
  startupCpuS: number | null;
  /**
   * Time to open a TCP connection (k6's http_req_connecting, not part of http_req_duration), ms. k6 opens one
   * connection per VU, so a large VU pool means many connects during the load, where the embedded driver shares a
   * pre-opened pool: slow connects show a listen queue overflowing (SYN retried after 1 s, 3 s).
   */
  connectingMs: { p50: number; p99: number; max: number } | null;
  exitCode: number | null;
  files: { points: string; summary: string; log: string; dashboard: string | null };
}

/** The load generator of a result, and what it cost: every µs it spends is taken from the apps on a shared machine. */
export interface DriverInfo {
  name: "embedded" | "k6";
  /** CPU µs the driver process used per request over the measured window; null when it was not measured. */
  cpuUsPerRequest: number | null;
  /**
   * How the driver connects. The embedded driver: one keep-alive connection per in-flight request up to `max`,
   * so the server sees every waiting client, as in a flash sale. null `max`: the driver states no bound.
   */
  connections: { model: string; max: number | null };
}

/**
 * Where the components of one run lived. `local`: everything on this machine's 127.0.0.1. `netns`: each
 * component on its own host (a network namespace with its own address on a private subnet). `remote`: a
 * deployment elsewhere, known by its URLs.
 */
export interface Topology {
  mode: "local" | "netns" | "remote";
  /** The private network of a netns run (e.g. 10.77.3.0/24), else null. */
  subnet: string | null;
  components: TopologyComponent[];
}

export interface TopologyComponent {
  /** The process label (`node-1`, `postgres`, `haproxy`, `driver`), the key of `cpu.*` / `rss.*`. */
  label: string;
  role: string;
  /** The host it ran on: `local`, its namespace's host name, or the URL's host for a remote one. */
  host: string;
  /** What it listened on (host:port or a base URL), null for the driver. */
  address: string | null;
  /**
   * Where its CPU/RSS came from: `proc` (its /proc, the harness shares its pid namespace), `metrics` (its own
   * Prometheus-format /metrics), `redis-info` (Redis's INFO), `none` (nothing exposes it).
   */
  sampledBy: "proc" | "metrics" | "redis-info" | "none";
}

/** Machine-wide CPU during a measured window (/proc/stat), minus the stack's processes and the driver's. */
export interface MachineLoad {
  cores: number;
  /** CPU used by processes outside the stack and the driver, in % of the whole machine (100 = every core busy). */
  outsideCpuPercent: number;
  /** CPU the hypervisor gave to other guests (steal), in % of the whole machine. */
  stealPercent: number;
  /** Outside use above `BUSY_OUTSIDE_PERCENT` (10%): the run's timings do not measure the apps alone. */
  busy: boolean;
  /** The outside processes that used the most CPU in the window, in % of one core. */
  busiest: Array<{ pid: number; command: string; cpuPercent: number }>;
}

/** One endpoint's round trips: the LB's hop, a forward, Redis and PostgreSQL calls in turn, and their sum. */
export interface RoundTripCounts {
  lb: number;
  forward: number;
  redis: number;
  postgres: number;
  total: number;
}

export interface RoutingSummary {
  local: number;
  forwarded: number;
  unavailable: number;
  forwardedShare: number | null;
}

export interface RunSummary {
  environment: RunEnvironment;
  results: AppRunSummary[];
  /** Run-level warnings (a failed sampler, an app that failed verification and was not benchmarked). */
  warnings: string[];
  /** Apps that failed verification before load, with why. */
  skipped: Array<{ scenario: string; app: AppName; reason: string }>;
  /**
   * `--driver both`: the same scenario x app on k6 (results[] hold the embedded driver's), for the report's
   * driver-agreement section. Absent otherwise.
   */
  agreement?: AppRunSummary[];
}

/** One second of a run, per scenario x app. Arrays are aligned with `t`. */
export interface TimeSeries {
  /** Seconds since the start of the measured window. */
  t: number[];
  latencyP50: number[];
  latencyP99: number[];
  requestsPerS: number[];
  errorsPerS: number[];
  bookingsPerS: number[];
  pgStatementsPerS: number[];
  pgCommitsPerS: number[];
  pgRowsWrittenPerS: number[];
  redisCommandsPerS: number[];
  /** CPU % (100 = one core) per process label, e.g. "node-1", "worker-1", "postgres", "redis", "haproxy", "driver". */
  cpuPercent: Record<string, number[]>;
  rssMb: Record<string, number[]>;
  faults: FaultRecord[];
}

/** One line of the acknowledgement log: what a client was told. */
export interface AckRecord {
  /** "hold" | "confirm" | "release". */
  op: "hold" | "confirm" | "release";
  /** ok = 2xx; fail = a definite refusal (4xx); info = unknown outcome (timeout, 5xx, reset). As Jepsen's history. */
  type: "ok" | "fail" | "info";
  seatId: string;
  userId: string;
  holdId?: string;
  bookingId?: string;
  status: number;
  /** ms since the window start. */
  t: number;
}
