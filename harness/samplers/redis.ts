import { Redis } from "ioredis";
import type { Sample, Sampler } from "./types.ts";

/**
 * Redis load from `INFO`: commands processed (minus the sampler's own INFO) and memory in use. With `process`,
 * also the server's own CPU seconds and RSS (`used_cpu_user` + `used_cpu_sys`, `used_memory_rss`) as
 * `cpu.<process>` / `rss.<process>`: what a remote Redis tells about itself, where its /proc is out of reach.
 */
export function redisSampler(redisUrl: string, opts: { process?: string } = {}): Sampler {
  const client = new Redis(redisUrl, {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    connectionName: "statebench-sampler",
  });
  let ticks = 0;
  return {
    name: "redis",
    async sample(): Promise<Sample> {
      ticks += 1;
      const info = parseInfo(await client.info());
      const sample: Sample = {
        counters: { redisCommands: (info.total_commands_processed ?? 0) - ticks },
        gauges: { redisMemoryMb: (info.used_memory ?? 0) / 1024 / 1024 },
      };
      if (opts.process) {
        sample.counters[`cpu.${opts.process}`] = (info.used_cpu_user ?? 0) + (info.used_cpu_sys ?? 0);
        sample.gauges[`rss.${opts.process}`] = (info.used_memory_rss ?? 0) / 1024 / 1024;
      }
      return sample;
    },
    async close() {
      client.disconnect();
    },
  };
}

/** Parses the numeric fields of an `INFO` reply. */
export function parseInfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\r\n")) {
    const i = line.indexOf(":");
    if (i <= 0 || line.startsWith("#")) continue;
    const v = Number(line.slice(i + 1));
    if (Number.isFinite(v)) out[line.slice(0, i)] = v;
  }
  return out;
}
