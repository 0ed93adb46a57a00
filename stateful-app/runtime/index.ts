/**
 * A lean virtual-actor runtime (Orleans activation and turn-based mailboxes, Akka Persistence journal and
 * snapshots) with a group-committing PostgreSQL journal. It knows nothing about tickets.
 *
 * @example
 * await migrate(pool);
 * const system = new ActorSystem({ journal: new PgJournal({ pool }), placement: new LocalPlacement(128) });
 * system.register(counterBehavior);                       // an ActorBehavior<State, Command, Event, Reply>
 * const reply = await system.ask("counter", "c-1", { type: "add", n: 1 }); // activates, recovers, replies after commit
 * system.deactivateShard(7);                             // the cluster lost shard 7
 * await system.flush();                                   // everything persisted so far is committed
 * await system.close();
 */
export { type ActorBehavior, type ActorContext, type AnyBehavior, actorKey } from "./actor.ts";
export type { PersistenceMode } from "./actor-cell.ts";
export { ActorSystem, type ActorSystemOptions, type AskOptions, type RuntimeStats } from "./actor-system.ts";
export {
  ActorStoppedError,
  isRetriable,
  JournalConflictError,
  JournalFencedError,
  MailboxFullError,
  ShardNotLocalError,
} from "./errors.ts";
export { GroupCommit, type GroupCommitOptions } from "./group-commit.ts";
export type { Journal, JournalRow, JournalStats, Recovery } from "./journal.ts";
export { MemoryJournal } from "./memory-journal.ts";
export { migrate } from "./migrations.ts";
export { type FenceCheck, PgJournal, type PgJournalOptions } from "./pg-journal.ts";
export { hashKey, LocalPlacement, type Placement, type Route, shardOfKey } from "./placement.ts";
