import { type PostgresServer, type RedisServer, startPostgres, startRedis } from "../../harness/infra/index.ts";

/**
 * The private PostgreSQL and Redis shared by every case of a run, each started on first use (a `--case` filter
 * that needs neither starts neither). `stop()` stops whatever was started, also a server still starting.
 */
export class SharedServers {
  private pg: Promise<PostgresServer> | null = null;
  private redis: Promise<RedisServer> | null = null;
  readonly started: Array<{ kind: string; pid: number | null }> = [];

  async postgresUrl(): Promise<string> {
    this.pg ??= startPostgres().then((s) => {
      this.started.push({ kind: "postgres", pid: s.pid });
      return s;
    });
    return (await this.pg).url;
  }

  async redisUrl(): Promise<string> {
    this.redis ??= startRedis().then((s) => {
      this.started.push({ kind: "redis", pid: s.pid });
      return s;
    });
    return (await this.redis).url;
  }

  async stop(): Promise<void> {
    const servers = await Promise.allSettled([this.pg, this.redis].filter((s) => s !== null));
    await Promise.all(servers.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
  }
}
