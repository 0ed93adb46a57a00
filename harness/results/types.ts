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
  driver: "embedded" | "k6";
  window: { startedAt: string; durationS: number };
  journeys: { scheduled: number; started: number; completed: number; dropped: number };
  requests: { total: number; byEndpoint: Record<string, EndpointSummary>; byStatus: Record<string, number> };
  throughput: { requestsPerS: number; journeysPerS: number; bookingsPerS: number };
  latency: LatencySummary;
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
  /** The whole machine during the measured window. Absent in summaries written before it was recorded; null when
   * it could not be measured (no /proc/stat, or an external target whose app runs outside the harness's view). */
  machine?: MachineLoad | null;
  /** Where each component ran and how its CPU/RSS were read. Absent in summaries written before it was recorded. */
  topology?: Topology;
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
