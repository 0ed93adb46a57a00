/**
 * The journal: append-only events keyed by (persistence id, sequence number), plus snapshots. Two stores
 * implement it: `PgJournal` (PostgreSQL, group commit) and `MemoryJournal` (unit tests).
 */

/** One event to append. `shard` lets a fencing check refuse appends for shards owned elsewhere. */
export interface JournalRow {
  persistenceId: string;
  seqNr: number;
  shard: number;
  event: unknown;
}

/**
 * Lets an actor withdraw an append it already handed over: set `abandoned` and, if its batch has not started,
 * the append is dropped and rejects with `AppendAbandonedError` (an actor whose earlier append failed must not
 * have its later events written behind a gap).
 */
export interface AppendGuard {
  abandoned: boolean;
}

/** The append was withdrawn (`AppendGuard.abandoned`) before it was written. */
export class AppendAbandonedError extends Error {
  constructor() {
    super("append abandoned before it was written");
    this.name = "AppendAbandonedError";
  }
}

/** What an actor recovers from: its latest snapshot (if any) and the events after it, in order. */
export interface Recovery {
  snapshot: { seqNr: number; state: unknown } | null;
  events: Array<{ seqNr: number; event: unknown }>;
}

/** Counters a journal exposes through `/metrics`. */
export interface JournalStats {
  /** Append transactions committed (one group commit = one transaction). */
  transactions: number;
  eventsWritten: number;
  /** Largest number of events committed by one transaction. */
  maxEventsPerTransaction: number;
  conflicts: number;
  fenced: number;
  /** Statements sent to the database (appends, recoveries, snapshots, replays). */
  statements: number;
  recoveryQueries: number;
  actorsRecovered: number;
  snapshotsWritten: number;
}

export interface Journal {
  /**
   * Appends one actor's events atomically (all or none). Resolves once committed; rejects with
   * `JournalConflictError` when another writer already holds one of these sequence numbers, with
   * `JournalFencedError` when the fencing check refused the shard. Calls from many actors are grouped into one
   * transaction. A `guard` set to abandoned before the batch starts drops the append.
   */
  append(rows: JournalRow[], guard?: AppendGuard): Promise<void>;
  /** Snapshot plus later events of one persistence id (grouped with concurrent recoveries into one query). */
  recover(persistenceId: string): Promise<Recovery>;
  /** Stores a snapshot (best effort: recovery falls back to the journal). */
  saveSnapshot(persistenceId: string, seqNr: number, state: unknown): Promise<void>;
  /**
   * Every event of every persistence id starting with `prefix`, in (persistence id, seqNr) order, for read
   * models built at start (not used on the request path).
   */
  replayPrefix(prefix: string, fn: (persistenceId: string, seqNr: number, event: unknown) => void): Promise<void>;
  /** Resolves when everything appended so far is committed (or failed). */
  flush(): Promise<void>;
  stats(): JournalStats;
  close(): Promise<void>;
}

export function emptyStats(): JournalStats {
  return {
    transactions: 0,
    eventsWritten: 0,
    maxEventsPerTransaction: 0,
    conflicts: 0,
    fenced: 0,
    statements: 0,
    recoveryQueries: 0,
    actorsRecovered: 0,
    snapshotsWritten: 0,
  };
}
