import { z } from "zod";

const LogLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** When set, `/metrics` is served on this port only (`contract/metrics-port.ts`), not on PORT. */
  // An empty value means unset (a shell's `METRICS_PORT=`), not port 0.
  METRICS_PORT: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(0).max(65_535).optional()),
  NODE_ID: z.string().min(1).default("stateless-1"),
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  WRITE_MODE: z.enum(["queue", "sync"]).default("queue"),
  LOG_LEVEL: LogLevel.default("warn"),
  /** pg pool size per process. */
  PG_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  /** Most bookings one replica puts in one BullMQ job (queue mode) or one INSERT (sync mode). */
  QUEUE_BATCH_MAX: z.coerce.number().int().min(1).max(5_000).default(200),
  /** BullMQ jobs a worker holds at once; the batcher turns them into multi-row INSERTs. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(5_000).default(500),
  /** Largest multi-row INSERT the worker writes. */
  WORKER_BATCH_MAX: z.coerce.number().int().min(1).max(5_000).default(500),
  /** BullMQ job lock: a SIGKILLed worker's jobs return to `wait` after about this long. */
  WORKER_LOCK_MS: z.coerce.number().int().min(1_000).default(5_000),
  /**
   * Admission control: most requests this replica works on at once; the next one is answered at once with 503,
   * `Retry-After: 1`, `{"error":"overloaded"}` (contract/admission.ts). At saturation the admitted requests wait
   * at most about MAX_IN_FLIGHT / throughput. 0 turns the bound off.
   */
  MAX_IN_FLIGHT: z.coerce.number().int().min(0).max(100_000).default(256),
  /** When set, a V8 CPU profile of the process is written there on graceful shutdown (bench/profile-summary.ts). */
  CPU_PROF_DIR: z.string().min(1).optional(),
});

/** Process configuration read from the environment (the variables `harness/stack/apps.ts` sets). */
export type Config = z.infer<typeof Env>;

/** Parses `env` or throws one error listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = Env.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
  throw new Error(`stateless-app: invalid environment\n${problems}`);
}
