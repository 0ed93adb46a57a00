import pg from "pg";

/** Pool counters for `/metrics`. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** A pg pool for one process; errors on idle clients are logged, not fatal (pg would crash the process). */
export function createPool(url: string, max: number, onError: (err: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  pool.on("error", onError);
  return pool;
}

export function poolStats(pool: pg.Pool): PoolStats {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
