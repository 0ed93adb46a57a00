/**
 * k6's documented `options` for the parts statebench generates, as a zod schema, so the generated options are
 * checked against k6's rules without k6 (which cannot be installed here). Sources:
 * - Scenarios, common options (executor, startTime, gracefulStop, exec, env, tags):
 *   grafana/k6-docs docs/sources/k6/v0.48.x/using-k6/scenarios/_index.md
 * - ramping-arrival-rate (stages, preAllocatedVUs required; startRate integer default 0; timeUnit "1s";
 *   maxVUs default preAllocatedVUs): grafana.com/docs/k6/latest/using-k6/scenarios/executors/ramping-arrival-rate/
 * - k6's own validation (lib/executor/ramping_arrival_rate.go, helpers.go validateStages, base_config.go): strict
 *   JSON (unknown fields are errors), executor names `^[0-9a-zA-Z_-]+$`, at least one stage, every stage with a
 *   non-negative duration and a non-negative integer target, maxVUs >= preAllocatedVUs, non-negative startTime
 *   and gracefulStop.
 * - Thresholds (grafana/k6-docs docs/sources/k6/next/using-k6/thresholds.md): `metric{tag:value}` keys; an
 *   expression `<aggregation> <operator> <value>`; aggregations by metric type: Counter count|rate, Gauge value,
 *   Rate rate, Trend avg|min|max|med|p(N) with 0 <= N <= 100; operators > >= < <= == === !=.
 * - summaryTrendStats: avg, min, med, max, count, p(N).
 */
import { z } from "zod";

/** Go duration strings as k6 parses them ("10s", "1m30s", "500ms"; k6 also takes "d"), or milliseconds. */
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d))+$/;
export const Duration = z.union([
  z.string().regex(GO_DURATION, "a Go duration string like 10s or 500ms"),
  z.number().nonnegative(),
]);

/** Milliseconds of a k6 duration. */
export function durationMs(d: string | number): number {
  if (typeof d === "number") return d;
  const unit: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
  };
  let total = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g))
    total += Number(m[1]) * (unit[m[2] as string] ?? 0);
  return total;
}

const Common = {
  startTime: Duration.optional(),
  gracefulStop: Duration.optional(),
  exec: z.string().min(1).optional(),
  env: z.record(z.string(), z.string()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
};

const NonNegInt = z.number().int().nonnegative();

export const RampingArrivalRate = z
  .object({
    executor: z.literal("ramping-arrival-rate"),
    ...Common,
    startRate: NonNegInt.optional(),
    timeUnit: Duration.refine((d) => durationMs(d) > 0, "timeUnit must be more than 0").optional(),
    stages: z.array(z.object({ duration: Duration, target: NonNegInt }).strict()).min(1, "at least one stage"),
    preAllocatedVUs: NonNegInt,
    maxVUs: NonNegInt.optional(),
  })
  .strict()
  .refine((s) => s.maxVUs === undefined || s.maxVUs >= s.preAllocatedVUs, "maxVUs can't be less than preAllocatedVUs");

export const ConstantArrivalRate = z
  .object({
    executor: z.literal("constant-arrival-rate"),
    ...Common,
    rate: NonNegInt,
    timeUnit: Duration.optional(),
    duration: Duration,
    preAllocatedVUs: NonNegInt,
    maxVUs: NonNegInt.optional(),
  })
  .strict();

const ThresholdEntry = z.union([
  z.string(),
  z
    .object({ threshold: z.string(), abortOnFail: z.boolean().optional(), delayAbortEval: Duration.optional() })
    .strict(),
]);

export const K6OptionsSchema = z
  .object({
    scenarios: z.record(z.string().regex(/^[0-9a-zA-Z_-]+$/), z.union([RampingArrivalRate, ConstantArrivalRate])),
    thresholds: z.record(z.string().regex(/^[A-Za-z0-9_]+(\{[^{}]+\})?$/), z.array(ThresholdEntry).min(1)).optional(),
    summaryTrendStats: z.array(z.string().regex(/^(avg|min|med|max|count|p\((\d+(\.\d+)?)\))$/)).optional(),
    userAgent: z.string().optional(),
  })
  .strict();

export type MetricType = "counter" | "gauge" | "rate" | "trend";

/** k6 built-in metrics statebench's thresholds may name (metrics reference page), by type. */
export const BUILTIN_METRICS: Record<string, MetricType> = {
  http_reqs: "counter",
  http_req_duration: "trend",
  http_req_failed: "rate",
  iterations: "counter",
  dropped_iterations: "counter",
  checks: "rate",
  vus: "gauge",
};

const AGGREGATIONS: Record<MetricType, RegExp> = {
  counter: /^(count|rate)$/,
  gauge: /^value$/,
  rate: /^rate$/,
  trend: /^(avg|min|max|med|p\((\d+(\.\d+)?)\))$/,
};

/**
 * Problems of one threshold expression for a metric of `type` (k6's thresholds_parser rules). Empty when valid.
 */
export function thresholdProblems(expr: string, type: MetricType): string[] {
  const m = /^\s*([a-z]+(?:\(\s*[\d.]+\s*\))?)\s*(>=|<=|===|==|!=|>|<)\s*(-?\d+(\.\d+)?)\s*$/.exec(expr);
  if (!m) return [`"${expr}" is not <aggregation> <operator> <number>`];
  const agg = (m[1] as string).replace(/\s+/g, "");
  if (!AGGREGATIONS[type].test(agg)) return [`"${agg}" is not an aggregation of a ${type}`];
  const p = /^p\(([\d.]+)\)$/.exec(agg);
  if (p && !(Number(p[1]) >= 0 && Number(p[1]) <= 100)) return [`percentile ${p[1]} outside 0..100`];
  return [];
}
