/**
 * Failover and rebalance figures (issue 5), repeated: SIGKILL one node of three, time until its shards are owned
 * by survivors (`ownershipMovedMs`) and until every one of its sections answers a hold through a survivor again
 * (`servedAgainMs`); then a node joins, time until the allocation is reached (`rebalanceMs`, from the joiner's
 * registration in `cluster_member`).
 *   node --import tsx bench/stateful/failover.ts [--rounds 3]
 * Bounded: each probe gives up after 15 s. Prints one JSON line per round and a summary.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { startStack } from "../../harness/stack/index.ts";
import { allocate } from "../../stateful-app/cluster/allocation.ts";
import {
  adminPool,
  call,
  createEvent,
  ownedOnlyBy,
  shardOfSeat,
  shardOwners,
  waitFor,
} from "../../stateful-app/cluster/testing/cluster.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" } } });
const rounds = Number(values.rounds);
const stack = await startStack({ app: "stateful", nodes: 3, granularity: "section" });
const db = adminPool(stack);
const rows: Array<Record<string, number>> = [];
try {
  const eventId = `failover-${Date.now()}`;
  const seats = await createEvent(stack.url, eventId, 64, 200);
  const sections = [...new Set(seats.map((s) => s.slice(0, s.lastIndexOf("-"))))];
  let probe = 0;
  for (let round = 1; round <= rounds; round++) {
    const live = stack.nodes.map((n) => n.id);
    await waitFor("a settled allocation", async () => {
      const target = allocate(128, live);
      return (await shardOwners(db)).every((o, s) => o === target[s]);
    });
    const owners = await shardOwners(db);
    const victim = stack.nodes[0];
    const survivor = stack.nodes[1];
    if (!victim || !survivor) throw new Error("need two nodes");
    const victimSections = sections.filter((s) => owners[shardOfSeat(eventId, `${s}-1`)] === victim.id);
    const killedAt = Date.now();
    await stack.killNode(victim.id, "SIGKILL");
    const survivors = live.filter((n) => n !== victim.id);
    const moved = waitFor("ownership moved", () => ownedOnlyBy(db, survivors), 15_000).then(() => Date.now());
    // Each victim section: hold fresh seats through a survivor until one is answered 201.
    const served = await Promise.all(
      victimSections.map(async (section) => {
        for (;;) {
          if (Date.now() - killedAt > 15_000) throw new Error(`section ${section} not served again`);
          probe++;
          const res = await call(survivor.url, "POST", `/events/${eventId}/holds`, {
            seatId: `${section}-${(probe % 200) + 1}`,
            userId: `p${probe}`,
            requestId: `r${probe}`,
          });
          if (res?.status === 201 || res?.status === 409) return Date.now();
          await sleep(10);
        }
      }),
    );
    const movedAt = await moved;
    const [joined] = await stack.addNodes(1);
    if (!joined) throw new Error("no node joined");
    const healthyAt = Date.now();
    const target = allocate(128, [...survivors, joined.id]);
    await waitFor("rebalanced", async () => (await shardOwners(db)).every((o, s) => o === target[s]), 15_000);
    const doneAt = Date.now();
    const joinedRow = await db.query<{ ms: string }>(
      "SELECT (extract(epoch FROM joined_at) * 1000)::bigint AS ms FROM cluster_member WHERE node_id = $1",
      [joined.id],
    );
    const row = {
      round,
      victimSections: victimSections.length,
      ownershipMovedMs: movedAt - killedAt,
      servedAgainMs: Math.max(...served) - killedAt,
      rebalanceFromRegisterMs: doneAt - Number(joinedRow.rows[0]?.ms ?? doneAt),
      rebalanceFromHealthyMs: doneAt - healthyAt,
      movedOnJoin: target.filter((n) => n === joined.id).length,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const stat = (k: string) => {
    const v = rows.map((r) => r[k] ?? 0).sort((a, b) => a - b);
    return { min: v[0], median: v[Math.floor(v.length / 2)], max: v[v.length - 1] };
  };
  console.log(
    JSON.stringify({
      summary: true,
      rounds,
      ownershipMovedMs: stat("ownershipMovedMs"),
      servedAgainMs: stat("servedAgainMs"),
      rebalanceFromRegisterMs: stat("rebalanceFromRegisterMs"),
    }),
  );
} finally {
  await db.end();
  await stack.stop();
}
