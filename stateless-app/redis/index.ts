/** Redis: seat claims, the availability cache and request de-duplication, through Lua scripts. */
export { createRedis } from "./client.ts";
export { eventKeys, PENDING_KEY } from "./keys.ts";
export {
  type ConfirmResult,
  type Counts,
  createStore,
  type HoldResult,
  parsePendingMember,
  pendingMember,
  type ReleaseResult,
  type SeatRef,
  type SoldSeat,
  type Store,
  seatListJson,
} from "./store.ts";
