// Cluster layer (issue 5) added NodeParts.applicationName (journal sessions carry the node's cluster prefix so a
// peer declaring it dead can cut them) and NodeParts.metrics (the `cluster` section of /metrics).
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import pg from "pg";
import pino, { type Logger } from "pino";
import { serveMetrics } from "../contract/metrics-port.ts";
import { type BoardOptions, BookingService } from "./booking/index.ts";
import type { NodeConfig } from "./config.ts";
import { createHttpApp, type Forward, httpErrorCounters, nodeAdmission } from "./http/index.ts";
import { ActorSystem, type FenceCheck, LocalPlacement, migrate, PgJournal, type Placement } from "./runtime/index.ts";

/** What the cluster (or a test) may plug into a node; all optional for a single node. */
export interface NodeParts {
  placement?: Placement;
  fence?: FenceCheck;
  forward?: Forward;
  extend?: (app: Hono) => void;
  logger?: Logger;
  /** `application_name` of the journal pool's sessions (default `statebench-<NODE_ID>`). */
  applicationName?: string;
  /** Extra sections merged into /metrics (the cluster's routing and ownership counters). */
  metrics?: () => Record<string, unknown>;
  /** The boards' versions and change reports (the cluster's replicated availability view). */
  boards?: BoardOptions;
}

/** A running node. `close()` is idempotent: stop accepting, flush the journal, stop actors, end the pool. */
export interface StatefulNode {
  url: string;
  /** The metrics listener's base URL when METRICS_PORT is set, else `url` (where `/metrics` is then served). */
  metricsUrl: string;
  config: NodeConfig;
  pool: pg.Pool;
  system: ActorSystem;
  service: BookingService;
  journal: PgJournal;
  metrics(): Record<string, unknown>;
  close(): Promise<void>;
}

/** Starts one actor node: migrations, journal, actor system, boards loaded, HTTP server listening. */
export async function startNode(config: NodeConfig, parts: NodeParts = {}): Promise<StatefulNode> {
  const logger = parts.logger ?? pino({ level: config.LOG_LEVEL, base: { node: config.NODE_ID } });
  const pool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: config.DB_POOL_MAX,
    keepAlive: true,
    application_name: parts.applicationName ?? `statebench-${config.NODE_ID}`,
  });
  pool.on("error", (err) => logger.warn({ err }, "idle database connection failed"));
  await migrate(pool);
  const placement = parts.placement ?? new LocalPlacement(config.SHARDS);
  const journal = new PgJournal({
    pool,
    windowMs: config.JOURNAL_WINDOW_MS,
    spacingMs: config.JOURNAL_SPACING_MS,
    fence: parts.fence,
  });
  const system = new ActorSystem({
    journal,
    placement,
    mode: config.PERSISTENCE,
    idleMs: config.IDLE_MS,
    mailboxMax: config.MAILBOX_MAX,
    onError: (key, reason, err) => logger.warn({ key, err: (err as Error)?.message }, reason),
  });
  const service = new BookingService({
    system,
    journal,
    granularity: config.GRANULARITY,
    snapshotEvery: config.SNAPSHOT_EVERY,
    boards: parts.boards,
  });
  await service.start();

  const startedAt = Date.now();
  const httpErrors = httpErrorCounters();
  const gate = nodeAdmission(config.MAX_IN_FLIGHT);
  const metrics = () => {
    const runtime = system.stats();
    const booking = service.stats();
    const j = runtime.journal;
    return {
      app: "stateful",
      node: config.NODE_ID,
      persistence: config.PERSISTENCE,
      granularity: config.GRANULARITY,
      uptimeMs: Date.now() - startedAt,
      runtime,
      booking,
      http: { ...httpErrors },
      admission: { ...gate.stats(), mailboxMax: config.MAILBOX_MAX, mailboxShed: runtime.mailboxFull },
      // Flat journal counters the bench reads to compute events per journal transaction.
      journalEvents: j.eventsWritten,
      journalTransactions: j.transactions,
      derived: {
        eventsPerTransaction: j.transactions === 0 ? 0 : j.eventsWritten / j.transactions,
        statementsPerConfirmedBooking:
          booking.bookingsConfirmed === 0 ? null : j.statements / booking.bookingsConfirmed,
      },
      ...parts.metrics?.(),
    };
  };
  const app = createHttpApp({
    service,
    placement,
    nodeId: config.NODE_ID,
    logger,
    metrics,
    metricsPort: config.METRICS_PORT,
    forward: parts.forward,
    extend: parts.extend,
    errors: httpErrors,
    admission: gate,
  });
  // Before the public port: a node counts as started once its public /health answers.
  const metricsListener =
    config.METRICS_PORT === undefined
      ? null
      : await serveMetrics(app, { host: config.HOST, port: config.METRICS_PORT });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  const url = `http://${config.HOST}:${port}`;
  return {
    url,
    metricsUrl: metricsListener?.url ?? url,
    config,
    pool,
    system,
    service,
    journal,
    metrics,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await system.close();
        await journal.close();
        if ("closeAllConnections" in server) server.closeAllConnections();
        await stopped;
        await metricsListener?.close();
        await pool.end();
      })();
      return closing;
    },
  };
}
