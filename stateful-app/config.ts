import { z } from "zod";

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** The node's environment (see the team brief); every knob has a default except DATABASE_URL. */
export const NodeConfig = z
  .object({
    PORT: int(3000, 0),
    HOST: z.string().default("127.0.0.1"),
    /** When set, `/metrics` is served on this port only (`contract/metrics-port.ts`), not on PORT. */
    // An empty value means unset (a shell's `METRICS_PORT=`), not port 0.
    METRICS_PORT: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.coerce.number().int().min(0).max(65_535).optional(),
    ),
    NODE_ID: z.string().min(1).optional(),
    DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
    /** `sync`: acknowledge after the journal commit. `async`: write-behind, acknowledge before (may lose acks). */
    PERSISTENCE: z.enum(["sync", "async"]).default("sync"),
    /** One actor per seat (the seed design) or per section. */
    GRANULARITY: z.enum(["seat", "section"]).default("seat"),
    SHARDS: int(128, 1),
    ADVERTISE_URL: z.string().optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("warn"),
    /** Group-commit gathering window; unset = 0 in sync mode (batches form while a flush is in flight), 50 in async. */
    JOURNAL_WINDOW_MS: z.coerce.number().int().min(0).optional(),
    /**
     * Least time between the starts of two journal transactions while appends keep coming (a client-side
     * `commit_delay`): fewer, larger group commits under load, no delay after a quiet period.
     */
    JOURNAL_SPACING_MS: z.coerce.number().min(0).max(100).default(0),
    /** Idle activations are passivated after this long. */
    IDLE_MS: int(120_000, 1),
    SNAPSHOT_EVERY: int(1_000, 1),
    DB_POOL_MAX: int(10, 2),
    /**
     * Admission control: most client requests the node works on at once; the next is answered at once with 503,
     * `Retry-After: 1`, `{"error":"overloaded"}` (contract/admission.ts). 0 turns the bound off.
     */
    MAX_IN_FLIGHT: int(512, 0),
    /** Most commands one actor's mailbox holds; a request for an actor with a full mailbox is shed the same way. */
    MAILBOX_MAX: int(256, 0),
  })
  .transform((env) => ({
    ...env,
    NODE_ID: env.NODE_ID ?? `stateful-${env.PORT}`,
    JOURNAL_WINDOW_MS: env.JOURNAL_WINDOW_MS ?? (env.PERSISTENCE === "async" ? 50 : 0),
  }));
export type NodeConfig = z.output<typeof NodeConfig>;

/** Parses the environment, listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const result = NodeConfig.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
  throw new Error(`invalid stateful node configuration: ${problems}`);
}
