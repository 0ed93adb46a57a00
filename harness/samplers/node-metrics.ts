import { request } from "undici";
import { parsePrometheusText } from "../../contract/prometheus.ts";
import type { Sample, Sampler } from "./types.ts";

/** A process reached over the network: its Prometheus-format `/metrics` says its own CPU and memory. */
export interface MetricsEndpoint {
  label: string;
  /** Base URL; `<url>/metrics` is read with `Accept: text/plain`. */
  url: string;
}

/**
 * CPU seconds and RSS of processes whose /proc the harness cannot read (another machine, or a host of its own),
 * from their `process_cpu_seconds_total` and `process_resident_memory_bytes`: the same `cpu.<label>` counter and
 * `rss.<label>` gauge (MB) as the /proc sampler, so the summary and the report treat both alike.
 *
 * Each counter is timestamped when its answer arrived; a process that stops answering (killed, paused) keeps its
 * last counter, so rates stay non-negative, and its RSS reads 0 as a dead local process's does.
 */
export function metricsSampler(list: () => MetricsEndpoint[], timeoutMs = 1000): Sampler {
  const lastCpu = new Map<string, number>();
  const read = async (e: MetricsEndpoint) => {
    try {
      const res = await request(`${e.url}/metrics`, {
        headers: { accept: "text/plain; version=0.0.4" },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) return null;
      const m = parsePrometheusText(text);
      const cpu = m.get("process_cpu_seconds_total");
      if (cpu === undefined) return null;
      return { cpu, rssMb: (m.get("process_resident_memory_bytes") ?? 0) / 1024 / 1024, at: performance.now() };
    } catch {
      return null;
    }
  };
  return {
    name: "node-metrics",
    async sample(): Promise<Sample> {
      const endpoints = list();
      const reads = await Promise.all(endpoints.map(read));
      const sample: Required<Sample> = { counters: {}, gauges: {}, times: {}, ceilings: {} };
      endpoints.forEach((e, i) => {
        const r = reads[i];
        const key = `cpu.${e.label}`;
        const value = Math.max(lastCpu.get(e.label) ?? 0, r?.cpu ?? 0);
        lastCpu.set(e.label, value);
        sample.counters[key] = value;
        sample.times[key] = r?.at ?? performance.now();
        sample.gauges[`rss.${e.label}`] = r?.rssMb ?? 0;
      });
      return sample;
    },
    async close() {},
  };
}
