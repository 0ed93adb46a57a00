/**
 * A lean virtual-actor runtime (Orleans activation and turn-based mailboxes, Akka Persistence journal and
 * snapshots) with a group-committing PostgreSQL journal. It knows nothing about tickets.
 */
export { type ActorBehavior, type ActorContext, type AnyBehavior, actorKey } from "./actor.ts";
export type { PersistenceMode } from "./actor-cell.ts";
export { ActorSystem, type ActorSystemOptions, type AskOptions, type RuntimeStats } from "./actor-system.ts";
export {
  ActorStoppedError,
  isRetriable,
  JournalConflictError,
  JournalFencedError,
  ShardNotLocalError,
} from "./errors.ts";
export { GroupCommit, type GroupCommitOptions } from "./group-commit.ts";
export type { Journal, JournalRow, JournalStats, Recovery } from "./journal.ts";
export { MemoryJournal } from "./memory-journal.ts";
export { migrate } from "./migrations.ts";
export { type FenceCheck, PgJournal, type PgJournalOptions } from "./pg-journal.ts";
export { hashKey, LocalPlacement, type Placement, type Route, shardOfKey } from "./placement.ts";
