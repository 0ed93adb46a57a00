/**
 * `GET /metrics` in the Prometheus text format (0.0.4), next to the JSON the harness has always read: a sampler on
 * another machine cannot read this process's /proc, so the process reports its own CPU and memory, under the
 * names prom-client and every Prometheus client library use (`process_cpu_seconds_total`,
 * `process_resident_memory_bytes`). The app's numeric figures follow as `statebench_<path>` gauges.
 *
 * Written by hand: two process gauges and a flattening of the JSON do not need a metrics registry in each app.
 */

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * True when the client asks for the text format: Prometheus scrapers send `text/plain` or
 * `application/openmetrics-text` in Accept; the harness's JSON readers send none.
 */
export function wantsPrometheus(accept: string | null | undefined): boolean {
  return accept != null && /\b(text\/plain|application\/openmetrics-text)\b/i.test(accept);
}

const snake = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^a-zA-Z0-9_]/g, "_")
    .toLowerCase();

function flatten(value: unknown, path: string, out: Array<[string, number]>, depth: number): void {
  if (typeof value === "number" && Number.isFinite(value)) out.push([path, value]);
  else if (typeof value === "boolean") out.push([path, value ? 1 : 0]);
  else if (value && typeof value === "object" && !Array.isArray(value) && depth < 4)
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}_${snake(k)}` : snake(k), out, depth + 1);
}

/**
 * This process's CPU (user, system, total seconds), resident memory and start time, then `figures` flattened.
 * @example prometheusText({ pendingWrites: 3, pool: { idle: 2 } })
 * // ... process_cpu_seconds_total 1.23 ... statebench_pending_writes 3 ... statebench_pool_idle 2
 */
export function prometheusText(figures: Record<string, unknown> = {}): string {
  const cpu = process.cpuUsage();
  const user = cpu.user / 1e6;
  const system = cpu.system / 1e6;
  const lines = [
    "# HELP process_cpu_user_seconds_total Total user CPU time spent in seconds.",
    "# TYPE process_cpu_user_seconds_total counter",
    `process_cpu_user_seconds_total ${user}`,
    "# HELP process_cpu_system_seconds_total Total system CPU time spent in seconds.",
    "# TYPE process_cpu_system_seconds_total counter",
    `process_cpu_system_seconds_total ${system}`,
    "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.",
    "# TYPE process_cpu_seconds_total counter",
    `process_cpu_seconds_total ${user + system}`,
    "# HELP process_resident_memory_bytes Resident memory size in bytes.",
    "# TYPE process_resident_memory_bytes gauge",
    `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
    "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.",
    "# TYPE process_start_time_seconds gauge",
    `process_start_time_seconds ${Math.round(Date.now() / 1000 - process.uptime())}`,
  ];
  const flat: Array<[string, number]> = [];
  flatten(figures, "", flat, 0);
  for (const [name, v] of flat) lines.push(`# TYPE statebench_${name} gauge`, `statebench_${name} ${v}`);
  return `${lines.join("\n")}\n`;
}

/** The `/metrics` answer: the text format when asked for, else the JSON figures. */
export function metricsResponse(accept: string | null | undefined, figures: Record<string, unknown>): Response {
  return wantsPrometheus(accept)
    ? new Response(prometheusText(figures), { headers: { "content-type": PROMETHEUS_CONTENT_TYPE } })
    : Response.json(figures);
}

/** Samples of a Prometheus text exposition, by metric name (labels ignored: the first sample of each name wins). */
export function parsePrometheusText(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m?.[1] || out.has(m[1])) continue;
    const v = Number(m[3]);
    if (!Number.isNaN(v)) out.set(m[1], v);
  }
  return out;
}
