import pg from "pg";
import type { Sample, Sampler } from "./types.ts";

/**
 * PostgreSQL load of the app's database from `pg_stat_database` (commits, rows written/fetched, blocks read)
 * and `pg_stat_statements` (statements executed).
 *
 * The sampler must not count itself. It observes from the `postgres` maintenance database, so its own
 * transactions land there; its statements carry a marker comment (pg_stat_statements keeps comments) and are
 * left out by it. Filtering by table name instead would also hide app statements that call `pg_stat_*`
 * functions (the stateful cluster's fenced INSERT does). Where the maintenance database cannot be used (an
 * external server), it observes from the app's database and its own commits, one per tick, are subtracted.
 */
const MARKER = "statebench-sampler";

/** The same server, the `postgres` database. */
function maintenanceUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = "/postgres";
  return url.toString();
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: MARKER });
  client.on("error", () => {});
  await client.connect();
  return client;
}

interface Observer {
  client: pg.Client;
  /** Commits of the sampler's own that land in the app's database per tick. */
  ownCommitsPerTick: number;
}

/** Connects to the maintenance database with pg_stat_statements available there, else to the app's own. */
async function observe(databaseUrl: string): Promise<Observer> {
  try {
    const client = await connect(maintenanceUrl(databaseUrl));
    try {
      await client.query(`/* ${MARKER} */ CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
      return { client, ownCommitsPerTick: 0 };
    } catch {
      await client.end().catch(() => undefined);
    }
  } catch {
    // No access to the maintenance database: fall through.
  }
  return { client: await connect(databaseUrl), ownCommitsPerTick: 1 };
}

export function postgresSampler(databaseUrl: string): Sampler {
  const target = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const observer = observe(databaseUrl);
  let ticks = 0;
  return {
    name: "postgres",
    async sample(): Promise<Sample> {
      const { client, ownCommitsPerTick } = await observer;
      ticks += 1;
      // One statement, one transaction per tick.
      const res = await client.query(
        `/* ${MARKER} */ SELECT d.xact_commit, d.xact_rollback, d.tup_inserted, d.tup_updated, d.tup_deleted,
                d.tup_fetched, d.blks_read,
                (SELECT coalesce(sum(s.calls), 0)::bigint FROM pg_stat_statements s
                  WHERE s.dbid = d.datid AND s.query NOT LIKE '%${MARKER}%') AS calls
           FROM pg_stat_database d WHERE d.datname = $1`,
        [target],
      );
      const row = res.rows[0] ?? {};
      const n = (v: unknown) => Number(v ?? 0);
      return {
        counters: {
          pgCommits: n(row.xact_commit) - ownCommitsPerTick * ticks,
          pgRollbacks: n(row.xact_rollback),
          pgRowsWritten: n(row.tup_inserted) + n(row.tup_updated) + n(row.tup_deleted),
          pgRowsInserted: n(row.tup_inserted),
          pgRowsFetched: n(row.tup_fetched),
          pgBlocksRead: n(row.blks_read),
          pgStatements: n(row.calls),
        },
        gauges: {},
      };
    },
    async close() {
      const o = await observer.catch(() => null);
      await o?.client.end().catch(() => undefined);
    },
  };
}
