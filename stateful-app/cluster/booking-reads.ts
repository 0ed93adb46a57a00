import type { Context, Hono } from "hono";
import { checkId, type EventSummary, parseOrThrow, type SeatStatus, SeatsQuery } from "../../contract/index.ts";
import { type BookingService, type EventBoard, type Layout, ownerOf } from "../booking/index.ts";
import { actorKey, ShardNotLocalError } from "../runtime/index.ts";
import { fanOutRead, IncompleteReadError, type ShardPartial } from "./fan-out.ts";
import { unavailableResponse } from "./forward.ts";
import { fromPeer } from "./routing.ts";
import type { Cluster } from "./setup.ts";

type Counts = Omit<EventSummary, "eventId">;
type Listed = Array<{ index: number; seatId: string; status: SeatStatus }>;

/**
 * The summary and seat listing of a clustered node (the fan-out design of `booking/board.ts`): each node counts
 * the seats of the shards it serves from its own board, the receiving node sums the N answers and answers 503
 * unless they cover every shard exactly once. Mounted before the single-node routes, which it replaces.
 * Also keeps boards fresh: gaining shards drops the boards, which reload from the journal on next use.
 */
export function clusterReads(cluster: Cluster, getService: () => BookingService | null): (app: Hono) => void {
  const { node, forwarder, peers } = cluster;
  const seatShards = new Map<string, Uint16Array>();
  // Bumped on every acquisition: a count is used only if no shard arrived while its board was being read.
  let generation = 0;
  node.on("acquired", () => {
    generation++;
    getService()?.reloadBoards();
  });

  const shardsOf = (layout: Layout): Uint16Array => {
    let table = seatShards.get(layout.eventId);
    if (table === undefined) {
      const capacity = layout.sections.reduce((n, s) => n + s.seats, 0);
      table = new Uint16Array(capacity);
      let i = 0;
      for (const section of layout.sections) {
        // Section actors: one hash per section; seat actors: one per seat.
        const first = ownerOf(layout, `${section.id}-1`);
        const sectionShard = node.shardOf(actorKey(first.kind, first.id));
        for (let n = 1; n <= section.seats; n++, i++) {
          if (layout.granularity === "section") table[i] = sectionShard;
          else {
            const o = ownerOf(layout, `${section.id}-${n}`);
            table[i] = node.shardOf(actorKey(o.kind, o.id));
          }
        }
      }
      seatShards.set(layout.eventId, table);
    }
    return table;
  };

  /**
   * This node's part, computed synchronously over the shards it serves now, from a board loaded after its last
   * acquisition (else retried; after three tries it claims no shard, so the read answers 503).
   */
  async function localPart<T>(
    eventId: string,
    compute: (board: EventBoard, seatShard: Uint16Array, mask: Uint8Array) => T,
  ): Promise<ShardPartial<T>> {
    const service = getService();
    if (service === null) throw new ShardNotLocalError(0, 500);
    const mask = new Uint8Array(node.shards);
    for (let attempt = 0; ; attempt++) {
      const before = generation;
      const layout = await service.layout(eventId);
      const board = await service.boardOf(eventId);
      if (generation !== before && attempt < 2) continue;
      const shards = generation === before ? node.servingShards() : [];
      for (const s of shards) mask[s] = 1;
      return { node: node.nodeId, shards, value: compute(board, shardsOf(layout), mask) };
    }
  }

  async function gather<T>(c: Context, local: ShardPartial<T>): Promise<Array<ShardPartial<T>> | Response> {
    forwarder.count("fanOutReads");
    const url = new URL(c.req.url);
    try {
      return await fanOutRead({
        shards: node.shards,
        members: node.memberUrls(),
        peers,
        path: url.pathname + url.search,
        local,
      });
    } catch (err) {
      if (err instanceof IncompleteReadError) {
        forwarder.count("unavailable");
        return unavailableResponse(500, "some shards are moving or their owner is down, retry");
      }
      throw err;
    }
  }

  return (app) => {
    app.get("/events/:eventId", async (c) => {
      const eventId = checkId(c.req.param("eventId"), "eventId");
      const mine = await localPart(eventId, (board, seatShard, mask) => board.summaryOf(seatShard, mask));
      if (fromPeer(c)) return c.json(mine);
      const parts = await gather(c, mine);
      if (parts instanceof Response) return parts;
      const sum: Counts = { capacity: 0, available: 0, held: 0, sold: 0 };
      for (const p of parts) {
        sum.capacity += p.value.capacity;
        sum.available += p.value.available;
        sum.held += p.value.held;
        sum.sold += p.value.sold;
      }
      return c.json({ eventId, ...sum });
    });

    app.get("/events/:eventId/seats", async (c) => {
      const eventId = checkId(c.req.param("eventId"), "eventId");
      const query = parseOrThrow(SeatsQuery, c.req.query(), "query");
      const mine = await localPart<Listed>(eventId, (board, seatShard, mask) => board.listOf(query, seatShard, mask));
      if (fromPeer(c)) return c.json(mine);
      const parts = await gather(c, mine);
      if (parts instanceof Response) return parts;
      const merged = parts
        .flatMap((p) => p.value)
        .sort((a, b) => a.index - b.index)
        .slice(0, query.limit)
        .map(({ seatId, status }) => ({ seatId, status }));
      return c.json({ seats: merged });
    });
  };
}
