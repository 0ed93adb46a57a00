import { Redis } from "ioredis";

/**
 * An ioredis client for request handling. Commands fail fast (no endless offline queue) so a Redis outage turns
 * into 503 answers rather than hanging requests.
 */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 2, enableAutoPipelining: false });
}
