import { Redis } from "ioredis";
import pg from "pg";
import { request } from "undici";
import { appNodes, type Target } from "./target.ts";

/**
 * Before load, the rest of the deployment (the balancer is `verifyApp`'s): PostgreSQL answers and has the app's
 * schema, Redis answers PING, and every app process given by URL answers GET /health and serves its process
 * CPU in the Prometheus format. Returns the problems, each naming the component and URL.
 */
export async function verifyDeployment(t: Target): Promise<string[]> {
  const problems: string[] = [];
  const checks: Array<Promise<void>> = [];
  if (t.databaseUrl) {
    const url = t.databaseUrl;
    checks.push(
      (async () => {
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
        client.on("error", () => {});
        try {
          await client.connect();
          const r = await client.query<{ tables: string }>(
            "SELECT count(*) AS tables FROM information_schema.tables WHERE table_schema = 'public'",
          );
          if (Number(r.rows[0]?.tables ?? 0) === 0)
            problems.push(`PostgreSQL ${redact(url)}: no tables (is this the app's database?)`);
        } catch (err) {
          problems.push(`PostgreSQL ${redact(url)}: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          await client.end().catch(() => {});
        }
      })(),
    );
  }
  if (t.redisUrl) {
    const url = t.redisUrl;
    checks.push(
      (async () => {
        const client = new Redis(url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          connectTimeout: 5000,
          retryStrategy: () => null,
        });
        client.on("error", () => {});
        try {
          await client.connect();
          const pong = await client.ping();
          if (pong !== "PONG") problems.push(`Redis ${redact(url)}: PING answered ${pong}`);
        } catch (err) {
          problems.push(`Redis ${redact(url)}: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          client.disconnect();
        }
      })(),
    );
  }
  for (const n of appNodes(t)) {
    checks.push(
      (async () => {
        try {
          const health = await request(`${n.url}/health`, { headersTimeout: 5000, bodyTimeout: 5000 });
          await health.body.text();
          if (health.statusCode !== 200) problems.push(`${n.id} ${n.url}: GET /health answered ${health.statusCode}`);
          const metrics = await request(`${n.url}/metrics`, {
            headers: { accept: "text/plain" },
            headersTimeout: 5000,
            bodyTimeout: 5000,
          });
          const text = await metrics.body.text();
          if (!/^process_cpu_seconds_total /m.test(text))
            problems.push(`${n.id} ${n.url}: GET /metrics (Accept: text/plain) has no process_cpu_seconds_total`);
        } catch (err) {
          problems.push(`${n.id} ${n.url}: ${err instanceof Error ? err.message : String(err)}`);
        }
      })(),
    );
  }
  await Promise.all(checks);
  return problems;
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}
