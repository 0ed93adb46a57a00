/**
 * Private infrastructure for tests, `statebench up` and `bench`: PostgreSQL, Redis and HAProxy started as
 * children that die with the harness, or reused through DATABASE_URL / REDIS_URL.
 */

export {
  type Backend,
  type BackendStat,
  type Haproxy,
  type HaproxyOptions,
  startHaproxy,
} from "./haproxy.ts";
export { DEFAULT_ADMISSION, type HaproxyAdmission, lbAdmissionFromEnv } from "./haproxy-config.ts";
export { haproxyCommand, parseShowStat } from "./haproxy-runtime.ts";
export {
  createNetwork,
  type NetnsHost,
  type NetnsNetwork,
  netnsSupport,
  networkLeftovers,
  sweepStaleNetworks,
} from "./netns.ts";
export { httpUrl, LOCAL, netnsPlacement, type Placement } from "./placement.ts";
export { freePort } from "./ports.ts";
export {
  type PostgresOptions,
  type PostgresServer,
  postgresBinDir,
  postgresVersion,
  startPostgres,
} from "./postgres.ts";
export {
  type ChildHandle,
  isAlive,
  killAllChildren,
  liveChildren,
  onHarnessExit,
  type SpawnOptions,
  spawnChild,
} from "./process.ts";
export { pingRedis, type RedisOptions, type RedisServer, redisVersion, startRedis } from "./redis.ts";
export { ensureRunDir, logTail, removeDir, sleep } from "./run-dir.ts";
