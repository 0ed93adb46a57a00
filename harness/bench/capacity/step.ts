import type { Step } from "../../../scenarios/index.ts";
import type { DriverResult } from "../../driver/types.ts";
import type { CapacityStep } from "../../results/types.ts";
import { evaluateThresholds, type ThresholdSubject } from "../thresholds.ts";
import type { OwnedThreshold } from "./slo.ts";

/** Answers that are neither errors nor shed: success, and the flash sale's normal refusals (409 taken, 410 expired). */
export function isGood(status: string): boolean {
  return /^2\d\d$/.test(status) || status === "409" || status === "410";
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** A run's answers by kind. */
export interface AnswerCounts {
  total: number;
  /** 2xx, 409, 410. */
  good: number;
  /** 503s that shed load: admission control's or HAProxy's `{"error":"overloaded"}`, and 503s naming no code. */
  shed: number;
  /** 503 `unavailable`: a shard moving (failover, rebalance) or storage down. An error, not load shedding. */
  unavailable: number;
}

/**
 * Answers by kind over a driver result. A 503 is shed load unless its body named the contract's `unavailable`
 * (both drivers file unexpected answers under the API's error code): a node kill's "shard moving" answers are a
 * failover's cost, and calling them overload would blame admission control for them.
 */
export function answerCounts(byStatus: Record<string, number>, byCode: Record<string, number> = {}): AnswerCounts {
  let total = 0;
  let good = 0;
  for (const [status, n] of Object.entries(byStatus)) {
    total += n;
    if (isGood(status)) good += n;
  }
  const all503 = byStatus["503"] ?? 0;
  const unavailable = Math.min(all503, byCode.unavailable ?? 0);
  return { total, good, shed: all503 - unavailable, unavailable };
}

/**
 * One step as the SLO reads it. Journeys/s are per second of the step's schedule (the rate it offered); answers
 * and bookings per second of its window (the schedule and the drain of its journeys after it), so an app that
 * fell behind shows what it served, not what it was sent. The error rate counts every answer that was not good,
 * shed answers included, whatever the driver files them under.
 */
export function stepSubject(r: DriverResult): ThresholdSubject & { goodputPerS: number; shedRate: number } {
  const { total, good, shed } = answerCounts(r.requests.byStatus, r.errors.byCode);
  const per = (n: number, s: number) => (s > 0 ? round(n / s) : 0);
  const perS = (n: number) => per(n, r.window.durationS);
  return {
    latency: r.latency,
    errors: { ...r.errors, rate: total > 0 ? round((total - good) / total, 5) : 0 },
    throughput: {
      requestsPerS: perS(total),
      journeysPerS: per(r.journeys.started, r.window.scheduleS),
      bookingsPerS: perS(r.bookings.confirmed),
    },
    journeys: r.journeys,
    goodputPerS: perS(good),
    shedRate: total > 0 ? round(shed / total, 5) : 0,
  };
}

/** Whether a step held the SLO (every per-step threshold met, the driver on schedule, some answer at all). */
export function judgeStep(r: DriverResult, step: Step, slo: OwnedThreshold[]): CapacityStep {
  const s = stepSubject(r);
  const broken = evaluateThresholds(slo, s)
    .filter((t) => !t.ok)
    .map((t) => `${t.expr} (actual ${t.actual === null ? "none" : round(t.actual, 4)})`);
  if (r.requests.total === 0) broken.push("no answers");
  const keptSchedule = r.health.keptSchedule;
  if (!keptSchedule) broken.push(`the driver fell behind: ${r.health.problems.join("; ")}`);
  return {
    offeredJourneysPerS: step.rate,
    journeysPerS: s.throughput.journeysPerS,
    requestsPerS: s.throughput.requestsPerS,
    goodputPerS: s.goodputPerS,
    bookingsPerS: s.throughput.bookingsPerS,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errorRate: s.errors.rate,
    shedRate: s.shedRate,
    keptSchedule,
    held: broken.length === 0,
    broken,
  };
}
