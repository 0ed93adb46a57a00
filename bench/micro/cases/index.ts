import type { MicroCase } from "../case.ts";
import { actorMailbox } from "./actor-mailbox.ts";
import { bookingHoldConfirm } from "./booking-hold-confirm.ts";
import { bullmqEnqueue } from "./bullmq-enqueue.ts";
import { httpHop } from "./http-hop.ts";
import { pgInsert } from "./pg-insert.ts";
import { redisHoldClaim } from "./redis-hold-claim.ts";

/** Every case, in the order they run (in-memory first, then the ones needing servers). */
export const CASES: readonly MicroCase[] = [
  actorMailbox,
  bookingHoldConfirm,
  redisHoldClaim,
  bullmqEnqueue,
  pgInsert,
  httpHop,
];
