import { lookup } from "node:dns/promises";
import pg from "pg";
import { CHANNEL } from "../cluster/schema.ts";
import { RUNTIME_ERROR, runtimeCommand } from "./runtime-api.ts";
import { firstMapFile, parseMap, parseServersState, type ServerState, serverForUrl } from "./servers.ts";

/** Options for `startPublisher`. */
export interface PublisherOptions {
  databaseUrl: string;
  /** HAProxy's runtime API: a unix socket path or `host:port`. */
  haproxyRuntime: string;
  /** The map file as HAProxy names it (default: the first map HAProxy reports). */
  haproxyMap?: string;
  /** Backend whose servers are the nodes (default `app`). */
  haproxyBackend?: string;
  /** Full re-read of owners and servers (default 500 ms): catches a server added to HAProxy, a missed NOTIFY. */
  pollMs?: number;
  log?: { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
}

/** What the publisher did, for its /metrics. */
export interface PublisherStats {
  /** Syncs run (NOTIFY-triggered and polled). */
  syncs: number;
  /** Syncs that changed the map (one atomic prepare/commit each). */
  mapWrites: number;
  /** Shards currently mapped to a server. */
  mappedShards: number;
  /** Time from the last ownership NOTIFY to its map commit, ms (null before the first). */
  lastNotifyToCommitMs: number | null;
  failures: number;
  lastError: string | null;
}

export interface Publisher {
  stats(): PublisherStats;
  /** Runs one sync now (tests). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

const ADDS_PER_COMMAND = 64;

/**
 * Keeps HAProxy's shard -> server map equal to `shard_owner`. Listens on the cluster's NOTIFY channel
 * (every acquisition, release and death is announced there) and also polls, so the map follows an ownership
 * change within milliseconds, and a server added to HAProxy (no NOTIFY) or a missed notification within
 * `pollMs`. Each owner's server is found by matching its advertised URL to the servers' addresses (`show
 * servers state`). A changed map is replaced atomically (`prepare map` / `add map @ver` / `commit map`); a shard
 * without an owner or without a matching server is left out, so HAProxy balances it and the nodes forward.
 */
export async function startPublisher(opts: PublisherOptions): Promise<Publisher> {
  const backend = opts.haproxyBackend ?? "app";
  const pollMs = opts.pollMs ?? 500;
  const stats: PublisherStats = {
    syncs: 0,
    mapWrites: 0,
    mappedShards: 0,
    lastNotifyToCommitMs: null,
    failures: 0,
    lastError: null,
  };
  const cmd = async (command: string) => {
    const answer = await runtimeCommand(opts.haproxyRuntime, command);
    if (RUNTIME_ERROR.test(answer)) throw new Error(`haproxy runtime API: ${answer.trim().slice(0, 200)}`);
    return answer;
  };
  let mapFile = opts.haproxyMap ?? null;
  let client: pg.Client | null = null;
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  let notifiedAt: number | null = null;
  let lastWritten: string | null = null;
  let pollsSinceCheck = 0;
  const resolved = new Map<string, string[]>();

  const connectDb = async (): Promise<pg.Client> => {
    if (client) return client;
    const c = new pg.Client({ connectionString: opts.databaseUrl, application_name: "statebench-lb-sync" });
    c.on("error", () => {
      if (client === c) client = null;
    });
    c.on("end", () => {
      if (client === c) client = null;
    });
    c.on("notification", () => {
      notifiedAt ??= performance.now();
      // Let a burst of acquisitions land (a failover announces several batches) before syncing.
      setTimeout(kick, 5).unref();
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
    return c;
  };

  const owners = async (): Promise<Array<{ shard: number; url: string }>> => {
    const db = await connectDb();
    try {
      const res = await db.query<{ shard: number; url: string }>(
        "SELECT shard, url FROM shard_owner WHERE url IS NOT NULL ORDER BY shard",
      );
      return res.rows;
    } catch (err) {
      if ((err as { code?: string }).code === "42P01") return []; // no node has created the tables yet
      throw err;
    }
  };

  const hostsOf = async (url: string): Promise<string[]> => {
    const host = new URL(url).hostname;
    let ips = resolved.get(host);
    if (ips === undefined) {
      ips = /^[\d.]+$|:/.test(host) ? [] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
      resolved.set(host, ips);
    }
    return ips;
  };

  const desiredMap = async (servers: ServerState[]): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    for (const { shard, url } of await owners()) {
      const server = serverForUrl(url, servers, await hostsOf(url));
      if (server !== null) out.set(String(shard), server);
    }
    return out;
  };

  const write = async (file: string, desired: Map<string, string>) => {
    const prepared = await cmd(`prepare map ${file}`);
    const version = /New version created:\s*(\d+)/.exec(prepared)?.[1];
    if (version === undefined) throw new Error(`prepare map: unexpected answer ${prepared.trim()}`);
    const adds = [...desired].map(([k, v]) => `add map @${version} ${file} ${k} ${v}`);
    for (let i = 0; i < adds.length; i += ADDS_PER_COMMAND) await cmd(adds.slice(i, i + ADDS_PER_COMMAND).join(";"));
    await cmd(`commit map @${version} ${file}`);
  };

  const syncOnce = async () => {
    stats.syncs++;
    mapFile ??= firstMapFile(await cmd("show map"));
    if (mapFile === null) throw new Error("HAProxy has no map (set HAPROXY_MAP)");
    const servers = parseServersState(await cmd(`show servers state ${backend}`), backend);
    const triggeredAt = notifiedAt;
    notifiedAt = null;
    const desired = await desiredMap(servers);
    const key = JSON.stringify([...desired]);
    // Compare with what HAProxy holds now and then (it may have been restarted or edited by hand).
    const verify = ++pollsSinceCheck >= 10;
    if (key === lastWritten && !verify) return;
    pollsSinceCheck = 0;
    const current = parseMap(await cmd(`show map ${mapFile}`));
    const same = current.size === desired.size && [...desired].every(([k, v]) => current.get(k) === v);
    if (!same) {
      await write(mapFile, desired);
      stats.mapWrites++;
      if (triggeredAt !== null) stats.lastNotifyToCommitMs = Math.round(performance.now() - triggeredAt);
    }
    lastWritten = key;
    stats.mappedShards = desired.size;
  };

  const kick = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await syncOnce();
        } catch (err) {
          stats.failures++;
          stats.lastError = (err as Error).message;
          opts.log?.warn({ err: (err as Error).message }, "routing table sync failed");
        }
      } while (again && !closed);
    })().finally(() => {
      running = null;
    });
  };

  await connectDb().catch((err: Error) => {
    stats.lastError = err.message;
  });
  kick();
  const timer = setInterval(kick, pollMs);
  timer.unref();
  return {
    stats: () => ({ ...stats }),
    sync: async () => {
      while (running) await running;
      kick();
      while (running) await running;
    },
    close: async () => {
      closed = true;
      clearInterval(timer);
      await running;
      await client?.end().catch(() => {});
    },
  };
}
