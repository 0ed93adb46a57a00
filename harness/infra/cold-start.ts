// Measures a cold start of the private infrastructure: PostgreSQL (initdb + start + database), Redis and
// HAProxy started in parallel, as `startStack` does. Run: node --import tsx harness/infra/cold-start.ts [rounds]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startHaproxy } from "./haproxy.ts";
import { startPostgres } from "./postgres.ts";
import { startRedis } from "./redis.ts";

delete process.env.DATABASE_URL;
delete process.env.REDIS_URL;
const rounds = Number(process.argv[2] ?? 3);
const ms = (t: number) => Math.round(performance.now() - t);
for (let i = 1; i <= rounds; i++) {
  const runDir = mkdtempSync(join(tmpdir(), "statebench-cold-"));
  const t0 = performance.now();
  const timed = async <T>(start: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const value = await start();
    return [value, ms(t)];
  };
  const [[pg, pgMs], [redis, redisMs], [lb, lbMs]] = await Promise.all([
    timed(() => startPostgres({ runDir })),
    timed(() => startRedis({ runDir })),
    timed(() => startHaproxy({ runDir })),
  ]);
  const total = ms(t0);
  console.log(
    JSON.stringify({ round: i, totalMs: total, postgresMs: pgMs, redisMs: redisMs, haproxyMs: lbMs, pgUrl: pg.url }),
  );
  await Promise.all([lb.stop(), redis.stop(), pg.stop()]);
  rmSync(runDir, { recursive: true, force: true });
}
