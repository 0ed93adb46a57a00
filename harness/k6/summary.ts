import { readFile } from "node:fs/promises";

/** One threshold as k6 judged it. */
export interface K6ThresholdVerdict {
  /** Metric key as written in options, e.g. "http_req_duration{scenario:measured}". */
  metric: string;
  /** k6 expression, e.g. "p(99)<250". */
  expr: string;
  ok: boolean;
}

/** The parts of k6's `--summary-export` file statebench reads. */
export interface K6SummaryExport {
  /** Metric -> statistic -> value, as k6 wrote them ("count", "rate", "avg", "p(99)", "passes", ...). */
  metrics: Record<string, Record<string, number>>;
  thresholds: K6ThresholdVerdict[];
}

interface RawMetric {
  thresholds?: Record<string, boolean | { ok: boolean }>;
  values?: Record<string, number>;
  [stat: string]: unknown;
}

/**
 * Parses k6's `--summary-export` JSON (statistics at the top of each metric; a threshold maps to `true` when it
 * FAILED, the inverse of `handleSummary`'s `{ ok }`). `handleSummary` data (statistics under `values`) is
 * accepted too, so either file can be read.
 */
export function parseK6Summary(json: unknown): K6SummaryExport {
  const root = json as { metrics?: Record<string, RawMetric> };
  if (!root || typeof root !== "object" || !root.metrics || typeof root.metrics !== "object")
    throw new Error("k6 summary: no `metrics` object (is this a --summary-export or handleSummary file?)");
  const metrics: Record<string, Record<string, number>> = {};
  const thresholds: K6ThresholdVerdict[] = [];
  for (const [name, raw] of Object.entries(root.metrics)) {
    const stats: Record<string, number> = {};
    const source = raw.values && typeof raw.values === "object" ? raw.values : raw;
    for (const [k, v] of Object.entries(source)) if (typeof v === "number") stats[k] = v;
    metrics[name] = stats;
    for (const [expr, verdict] of Object.entries(raw.thresholds ?? {})) {
      const ok = typeof verdict === "boolean" ? !verdict : Boolean(verdict.ok);
      thresholds.push({ metric: name, expr, ok });
    }
  }
  return { metrics, thresholds };
}

/** Reads and parses a summary file. */
export async function readK6Summary(path: string): Promise<K6SummaryExport> {
  return parseK6Summary(JSON.parse(await readFile(path, "utf8")));
}
