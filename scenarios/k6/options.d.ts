// Types of options.js for the TypeScript side (harness, tests). The .js file is what k6 runs.
import type { Journey, Scenario } from "../types.ts";

export declare const WARMUP: "warmup";
export declare const MEASURED: "measured";
export declare const SUMMARY_TREND_STATS: string[];

export interface K6Stage {
  duration: string;
  target: number;
}
export interface K6ArrivalScenario {
  executor: "ramping-arrival-rate";
  startTime: string;
  gracefulStop: string;
  startRate: number;
  timeUnit: string;
  stages: K6Stage[];
  preAllocatedVUs: number;
  maxVUs: number;
}
export interface K6Options {
  scenarios: Record<string, K6ArrivalScenario>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  userAgent: string;
}
export interface VuLimits {
  maxVUs?: number;
  preAllocatedVUs?: number;
  /** Request timeout in ms (default 10,000): the graceful stop is this plus 2 s. */
  timeoutMs?: number;
}

export declare function k6Duration(seconds: number): string;
export declare function requestsPerJourney(journey: Journey): number;
export declare function vuSizing(
  peakRate: number,
  journey: Journey,
  limits?: VuLimits,
): { preAllocatedVUs: number; maxVUs: number; expectedJourneyS: number };
export declare const MAX_JOURNEYS_IN_FLIGHT: number;
export declare const EXPECTED_REQUEST_MS: number;
export declare function k6Threshold(expr: string): { metric: string; expression: string };
export declare function k6Thresholds(exprs: string[]): Record<string, string[]>;
export type K6Phase = "all" | "warmup" | "measure";
export declare function k6Options(scenario: Scenario, limits?: VuLimits, phase?: K6Phase): K6Options;
