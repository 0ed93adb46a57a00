import type { AppRunSummary, ThresholdResult } from "../results/types.ts";

/**
 * SLO thresholds in k6's spirit: `p99<250` (ms), `p(99.9)<800`, `errors<1%`, `rps>500`, `dropped<=0`.
 * Metrics: p50 p90 p99 p99.9 max mean (ms, all requests), errors (rate, `%` allowed), rps (requests/s),
 * bookings (bookings/s), dropped (journeys). Invalid expressions are reported all at once by `parseThresholds`.
 */
export interface Threshold {
  expr: string;
  metric: string;
  op: "<" | "<=" | ">" | ">=";
  value: number;
}

/** What a threshold reads: a run's summary, or one step of a capacity search (a driver result has the shapes). */
export type ThresholdSubject = Pick<AppRunSummary, "latency" | "errors" | "throughput" | "journeys">;

const METRICS: Record<string, (s: ThresholdSubject) => number | null> = {
  p50: (s) => s.latency.p50,
  p90: (s) => s.latency.p90,
  p99: (s) => s.latency.p99,
  "p99.9": (s) => s.latency.p999,
  max: (s) => s.latency.max,
  mean: (s) => s.latency.mean,
  errors: (s) => s.errors.rate,
  rps: (s) => s.throughput.requestsPerS,
  bookings: (s) => s.throughput.bookingsPerS,
  dropped: (s) => s.journeys.dropped,
};

const PATTERN = /^\s*([a-z]+|p\(?[0-9.]+\)?)\s*(<=|>=|<|>)\s*([0-9.]+)\s*(%?)\s*$/;

/** Latency metrics (ms); with `errors` they make an SLO, the rest (rps, bookings, dropped) ask for throughput. */
export const LATENCY_METRICS: readonly string[] = ["p50", "p90", "p99", "p99.9", "max", "mean"];

/** Parses threshold expressions; throws one error listing every invalid expression. */
export function parseThresholds(exprs: string[]): Threshold[] {
  const out: Threshold[] = [];
  const problems: string[] = [];
  for (const expr of exprs) {
    const m = PATTERN.exec(expr);
    const metric = m?.[1]?.replace(/^p\(([0-9.]+)\)$/, "p$1");
    if (!m || !metric || !(metric in METRICS)) {
      problems.push(
        `--threshold "${expr}": expected <metric><op><number>, metric one of ${Object.keys(METRICS).join(", ")}`,
      );
      continue;
    }
    const pct = m[4] === "%";
    if (pct && metric !== "errors") {
      problems.push(`--threshold "${expr}": only "errors" takes a percentage`);
      continue;
    }
    const raw = Number(m[3]);
    out.push({ expr, metric, op: m[2] as Threshold["op"], value: pct ? raw / 100 : raw });
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return out;
}

/** Evaluates thresholds against one summary. A metric that could not be measured fails its threshold. */
export function evaluateThresholds(thresholds: Threshold[], summary: ThresholdSubject): ThresholdResult[] {
  return thresholds.map((t) => {
    const actual = METRICS[t.metric]?.(summary) ?? null;
    const ok =
      actual !== null &&
      (t.op === "<"
        ? actual < t.value
        : t.op === "<="
          ? actual <= t.value
          : t.op === ">"
            ? actual > t.value
            : actual >= t.value);
    return { expr: t.expr, ok, actual };
  });
}

type OwnedThreshold = Threshold & { setBy: "scenario" | "user" };

/** The parts of a capacity search the thresholds are judged with (harness/bench/capacity). */
export interface SearchThresholds {
  slo: { perStep: OwnedThreshold[]; onCapacity: OwnedThreshold[] };
  /** The last step that held, or the first when none did. */
  capacityStep: ThresholdSubject;
}

/**
 * Thresholds and who set them: the scenario's (a finding when broken) and the user's (exit code 99). A capacity
 * search judges them on the last step that held: its SLO held there by definition unless no step did, and the
 * user's throughput thresholds ask that much capacity of the app.
 */
export function judgeThresholds(
  scenario: Threshold[],
  user: Threshold[],
  summary: ThresholdSubject,
  search: SearchThresholds | null,
): ThresholdResult[] {
  const own = (setBy: "scenario" | "user", r: ThresholdResult[]) => r.map((x) => ({ ...x, setBy }));
  if (!search) {
    return [
      ...own("scenario", evaluateThresholds(scenario, summary)),
      ...own("user", evaluateThresholds(user, summary)),
    ];
  }
  const at = search.capacityStep;
  return [
    ...own("scenario", evaluateThresholds(scenario, at)),
    ...[...search.slo.perStep, ...search.slo.onCapacity].flatMap((t) => own(t.setBy, evaluateThresholds([t], at))),
  ];
}
