import type { Redis } from "ioredis";
import { newToken } from "../../../stateless-app/ids.ts";
import { createRedis, createStore } from "../../../stateless-app/redis/index.ts";
import type { MicroCase } from "../case.ts";

const SEATS = 100_000;

/** `cmdstat_<name>:calls=N` from INFO commandstats: proves the script ran as EVALSHA, not re-sent as EVAL. */
async function scriptCalls(redis: Redis): Promise<{ evalsha: number; eval: number }> {
  const info = await redis.info("commandstats");
  const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return { evalsha: calls("evalsha"), eval: calls("eval") };
}

/**
 * The stateless app's seat claim: its own `hold-6.lua` loaded by its own `createStore` (EVALSHA through
 * ioredis `defineCommand`), one awaited call at a time, on a fresh seat (SET NX wins, three ZSET updates, the
 * idempotency key) and on a taken seat (the flash sale's usual answer: -3, nothing written).
 */
export const redisHoldClaim: MicroCase = {
  id: "redis-claim",
  about: "stateless-app/redis hold-6.lua through createStore().hold against a private Redis",
  async setup(env) {
    const redis = createRedis(await env.redisUrl(), "micro-claim");
    env.defer(() => redis.quit());
    const store = createStore(redis);
    let events = 0;
    let eventId = "";
    let n = SEATS;
    const loadNext = async () => {
      eventId = `micro-claim-${++events}`;
      await store.loadEvent(
        eventId,
        { sections: [{ id: "A", seats: SEATS }], holdTtlMs: 600_000, capacity: SEATS },
        [],
      );
      n = 0;
    };
    await loadNext();
    const taken = "micro-taken";
    await store.loadEvent(taken, { sections: [{ id: "A", seats: 1 }], holdTtlMs: 600_000, capacity: 1 }, []);
    const seat1 = { seatId: "A-1", sectionId: "A", n: 1 };
    const first = await store.hold(taken, seat1, "owner", "r0", newToken(taken, "A-1"));
    if (first.kind !== "held") throw new Error(`could not take the contended seat: ${first.kind}`);
    let attempt = 0;
    const before = await scriptCalls(redis);
    return {
      tasks: [
        {
          name: "hold claim, free seat (granted)",
          beforeEach: async () => {
            if (n >= SEATS) await loadNext();
          },
          fn: async () => {
            const i = ++n;
            const seatId = `A-${i}`;
            const r = await store.hold(
              eventId,
              { seatId, sectionId: "A", n: i },
              `u${i}`,
              `r${i}`,
              newToken(eventId, seatId),
            );
            if (r.kind !== "held" || r.repeated) throw new Error(`expected a new hold, got ${JSON.stringify(r)}`);
          },
        },
        {
          name: "hold claim, taken seat (refused)",
          fn: async () => {
            const i = ++attempt;
            const r = await store.hold(taken, seat1, `u${i}`, `r${i}`, newToken(taken, "A-1"));
            if (r.kind !== "unavailable") throw new Error(`expected seat_unavailable, got ${JSON.stringify(r)}`);
          },
        },
      ],
      facts: async () => {
        const after = await scriptCalls(redis);
        return { evalshaCalls: after.evalsha - before.evalsha, evalCalls: after.eval - before.eval };
      },
    };
  },
};
