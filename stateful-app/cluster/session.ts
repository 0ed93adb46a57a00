import pg from "pg";
import { CHANNEL } from "./schema.ts";

/** Options for the dedicated ownership session. */
export interface SessionOptions {
  databaseUrl: string;
  applicationName: string;
  /** Server-side TCP keepalive idle seconds (probes then every 1 s, 3 probes): a dead peer is seen in ~idle+3 s. */
  keepaliveIdleSec?: number;
}

/**
 * The one PostgreSQL session that holds a node's shard locks. Session-level advisory locks die with it, so a
 * killed node loses its shards as soon as PostgreSQL sees the socket close. Keepalives on both ends (and
 * `client_connection_check_interval`) bound how long a vanished peer can keep them; LISTEN shares the session.
 */
export interface OwnershipSession {
  readonly client: pg.Client;
  /** `pg_backend_pid()` of this session: recorded in the membership row so peers can check it is alive. */
  readonly backendPid: number;
  /** Called once, with the reason, when the session dies (error or end). */
  onLost(cb: (reason: Error) => void): void;
  /** Called for each NOTIFY on the cluster channel. */
  onNotify(cb: (payload: string) => void): void;
  lost(): boolean;
  close(): Promise<void>;
}

/** Opens the ownership session (keepalives, lock timeout, LISTEN). */
export async function openSession(opts: SessionOptions): Promise<OwnershipSession> {
  const idle = opts.keepaliveIdleSec ?? 2;
  const client = new pg.Client({
    connectionString: opts.databaseUrl,
    application_name: opts.applicationName,
    keepAlive: true,
    keepAliveInitialDelayMillis: idle * 1000,
    connectionTimeoutMillis: 5000,
  });
  const lostCbs: Array<(reason: Error) => void> = [];
  const notifyCbs: Array<(payload: string) => void> = [];
  let lostReason: Error | null = null;
  let closing = false;
  const fail = (reason: Error) => {
    if (lostReason || closing) return;
    lostReason = reason;
    for (const cb of lostCbs) cb(reason);
  };
  client.on("error", (err) => fail(err));
  client.on("end", () => fail(new Error("ownership session ended")));
  client.on("notification", (msg) => {
    if (msg.channel === CHANNEL) for (const cb of notifyCbs) cb(msg.payload ?? "");
  });
  await client.connect();
  // Server side: probe an idle client after `idle` s; check a busy one's socket every second. lock_timeout keeps
  // an epoch bump from waiting behind a stuck journal transaction (the heartbeat shares this session).
  await client.query(
    `SET tcp_keepalives_idle = ${idle}; SET tcp_keepalives_interval = 1; SET tcp_keepalives_count = 3;
     SET client_connection_check_interval = 1000; SET lock_timeout = 500; LISTEN ${CHANNEL}`,
  );
  const res = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const backendPid = res.rows[0]?.pid ?? 0;
  let closed: Promise<void> | null = null;
  return {
    client,
    backendPid,
    onLost: (cb) => {
      lostCbs.push(cb);
      if (lostReason) cb(lostReason);
    },
    onNotify: (cb) => notifyCbs.push(cb),
    lost: () => lostReason !== null,
    close: () => {
      closing = true;
      closed ??= client.end().catch(() => {});
      return closed;
    },
  };
}
