import { Redis } from "ioredis";
import type { Sample, Sampler } from "./types.ts";

/** Redis load from `INFO`: commands processed (minus the sampler's own INFO) and memory in use. */
export function redisSampler(redisUrl: string): Sampler {
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
      return {
        counters: { redisCommands: (info.total_commands_processed ?? 0) - ticks },
        gauges: { redisMemoryMb: (info.used_memory ?? 0) / 1024 / 1024 },
      };
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
