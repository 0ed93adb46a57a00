import type { DriverResult } from "../driver/types.ts";
import type { AppName, AppRunSummary, AuditResult, DriverInfo, FaultRecord, RoutingSummary } from "../results/types.ts";
import type { SampleRow } from "../samplers/index.ts";
import { answerCounts } from "./capacity/step.ts";

export interface SummaryInput {
  scenario: string;
  app: AppName;
  appConfig: AppRunSummary["appConfig"];
  driverName: DriverInfo["name"];
  driver: DriverResult;
  /** Sampler counters at the window start and after the writes were drained (so queued writes count). */
  countersAtStart: Record<string, number>;
  countersAtEnd: Record<string, number>;
  rows: SampleRow[];
  /** Process label -> role ("node", "api", "worker", "postgres", "redis", "haproxy", "driver"). */
  roles: Record<string, string>;
  /** Journal counters of the stateful app (null for the stateless app). */
  journal: { eventsPerTransaction: number | null } | null;
  /** Routing counters of the stateful app over the window (null for the stateless app). */
  routing: Omit<RoutingSummary, "forwardedShare"> | null;
  /** The app's declared availability staleness bound, ms (0: exact reads). */
  stalenessBoundMs: number;
  usesRedis: boolean;
  audit: AuditResult;
  faults: FaultRecord[];
}

const per = (x: number, bookings: number) => (bookings > 0 ? round(x / bookings, 4) : null);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * One scenario x app: the driver's view (what clients saw) joined with the samplers' (what it cost) and the
 * audit's (whether it was right). Costs are per *confirmed booking*, over the measured window plus the drain.
 */
export function buildAppSummary(i: SummaryInput): AppRunSummary {
  const d = (k: string) => (i.countersAtEnd[k] ?? 0) - (i.countersAtStart[k] ?? 0);
  const bookings = i.driver.bookings.confirmed;
  const statements = d("pgStatements");
  const commits = d("pgCommits");
  const rowsWritten = d("pgRowsWritten");

  const secondsByRole: Record<string, number> = {};
  const maxPercentByProcess: Record<string, number> = {};
  const peakRss: Record<string, number> = {};
  for (const [label, role] of Object.entries(i.roles)) {
    secondsByRole[role] = round((secondsByRole[role] ?? 0) + Math.max(0, d(`cpu.${label}`)));
    maxPercentByProcess[label] = round(Math.max(0, ...i.rows.map((r) => (r.rates[`cpu.${label}`] ?? 0) * 100)), 1);
  }
  for (const r of i.rows) {
    const byRole: Record<string, number> = {};
    for (const [label, role] of Object.entries(i.roles))
      byRole[role] = (byRole[role] ?? 0) + (r.gauges[`rss.${label}`] ?? 0);
    for (const [role, mb] of Object.entries(byRole)) peakRss[role] = round(Math.max(peakRss[role] ?? 0, mb), 1);
  }
  // Shed (503) and good answers from the statuses, whichever way the driver counts 503 among its errors.
  const answers = answerCounts(i.driver.requests.byStatus, i.driver.errors.byCode);
  const durationS = i.driver.window.durationS;
  // The system under test: neither the load generator nor the harness that orchestrates it.
  const systemCpu = Object.entries(secondsByRole)
    .filter(([role]) => role !== "driver" && role !== "harness")
    .reduce((s, [, v]) => s + v, 0);

  return {
    scenario: i.scenario,
    app: i.app,
    appConfig: i.appConfig,
    driver: driverInfo(i.driverName, i.driver, secondsByRole.driver),
    window: { startedAt: i.driver.window.startedAt, durationS: i.driver.window.durationS },
    journeys: {
      scheduled: i.driver.journeys.scheduled,
      started: i.driver.journeys.started,
      completed: i.driver.journeys.completed,
      dropped: i.driver.journeys.dropped,
    },
    requests: i.driver.requests,
    throughput: i.driver.throughput,
    latency: i.driver.latency,
    serviceTime: i.driver.serviceTime,
    spectrum: i.driver.spectrum,
    errors: i.driver.errors,
    shed: { requests: answers.shed, rate: answers.total > 0 ? round(answers.shed / answers.total, 5) : 0 },
    unavailable: {
      requests: answers.unavailable,
      rate: answers.total > 0 ? round(answers.unavailable / answers.total, 5) : 0,
    },
    goodputPerS: durationS > 0 ? round(answers.good / durationS) : 0,
    bookings: i.driver.bookings,
    sellOutS: i.driver.sellOutS,
    db: {
      statements,
      commits,
      rowsWritten,
      statementsPerBooking: per(statements, bookings),
      commitsPerBooking: per(commits, bookings),
      rowsWrittenPerBooking: per(rowsWritten, bookings),
    },
    redis: i.usesRedis ? { commands: d("redisCommands"), commandsPerBooking: per(d("redisCommands"), bookings) } : null,
    journal: i.journal,
    routing: i.routing === null ? null : { ...i.routing, forwardedShare: forwardedShare(i.routing) },
    availability: { stalenessBoundMs: i.stalenessBoundMs },
    cpu: {
      secondsByRole,
      secondsPer1kBookings: bookings > 0 ? round((systemCpu / bookings) * 1000, 3) : null,
      maxPercentByProcess,
    },
    memory: { peakRssMbByRole: peakRss },
    driverHealth: {
      cpuS: i.driver.health.cpuS,
      maxLagMs: i.driver.health.maxLagMs,
      p99LagMs: i.driver.health.p99LagMs,
      keptSchedule: i.driver.health.keptSchedule,
    },
    audit: i.audit,
    // Filled in by the caller: thresholds are evaluated on this summary, warnings need its CPU figures.
    thresholds: [],
    faults: i.faults,
    warnings: [],
    // Set by the caller for the capacity scenario.
    capacity: null,
  };
}

/**
 * The driver's name, CPU per request and connection model. The embedded driver measures its own CPU over the
 * window; for k6 (its own process) the samplers' CPU of the driver role is used.
 */
export function driverInfo(name: DriverInfo["name"], d: DriverResult, sampledCpuS?: number): DriverInfo {
  const total = d.requests.total;
  const own = d.health.cpuUsPerRequest;
  const cpuUsPerRequest =
    own !== undefined && own !== null
      ? own
      : total > 0 && sampledCpuS !== undefined && sampledCpuS > 0
        ? round((sampledCpuS / total) * 1e6, 1)
        : null;
  const connections = d.health.connections
    ? { model: d.health.connections.model, max: d.health.connections.max }
    : { model: name === "k6" ? "k6: one connection per VU" : "not recorded", max: null };
  return { name, cpuUsPerRequest, connections };
}

/** forwarded / (local + forwarded + unavailable): the actor-addressed requests that took a hop; null without any. */
export function forwardedShare(r: Omit<RoutingSummary, "forwardedShare">): number | null {
  const total = r.local + r.forwarded + r.unavailable;
  return total === 0 ? null : round(r.forwarded / total, 4);
}

/** Warnings a sceptical reader wants first: the driver fell behind, a process saturated its CPU. */
export function loadWarnings(
  driver: DriverResult,
  maxPercentByProcess: Record<string, number>,
  quotas: Record<string, number>,
): string[] {
  const out = [...driver.warnings, ...driver.health.problems.map((p) => `driver: ${p}`)];
  for (const [label, pct] of Object.entries(maxPercentByProcess)) {
    const limit = (quotas[label] ?? 1) * 100;
    if (pct >= 0.95 * limit)
      out.push(`${label} hit ${pct.toFixed(0)}% CPU (limit ${limit.toFixed(0)}%): it may have been the bottleneck`);
  }
  return out;
}
