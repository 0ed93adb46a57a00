import pg from "pg";
import type { Sample, Sampler } from "./types.ts";

/**
 * PostgreSQL load from `pg_stat_database` (commits, rows written/fetched, blocks read) and
 * `pg_stat_statements` (statements executed). The sampler's own two queries per tick are excluded:
 * its statements are filtered out by text, and its own commits are subtracted.
 */
export function postgresSampler(databaseUrl: string): Sampler {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "statebench-sampler" });
  const connected = client.connect();
  let ticks = 0;
  return {
    name: "postgres",
    async sample(): Promise<Sample> {
      await connected;
      ticks += 1;
      const db = await client.query(
        `SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_fetched, blks_read
           FROM pg_stat_database WHERE datname = current_database()`,
      );
      const st = await client.query(
        `SELECT coalesce(sum(calls), 0)::bigint AS calls FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND query NOT ILIKE '%pg_stat_%'`,
      );
      const row = db.rows[0] ?? {};
      const n = (v: unknown) => Number(v ?? 0);
      return {
        counters: {
          // Two sampler queries per tick run in autocommit: two commits of ours each tick.
          pgCommits: n(row.xact_commit) - 2 * ticks,
          pgRollbacks: n(row.xact_rollback),
          pgRowsWritten: n(row.tup_inserted) + n(row.tup_updated) + n(row.tup_deleted),
          pgRowsInserted: n(row.tup_inserted),
          pgRowsFetched: n(row.tup_fetched),
          pgBlocksRead: n(row.blks_read),
          pgStatements: n(st.rows[0]?.calls),
        },
        gauges: {},
      };
    },
    async close() {
      await connected.catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
