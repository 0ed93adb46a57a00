import pg from "pg";
import { JournalConflictError, JournalFencedError } from "./errors.ts";
import { GroupCommit } from "./group-commit.ts";
import {
  AppendAbandonedError,
  type AppendGuard,
  emptyStats,
  type Journal,
  type JournalRow,
  type JournalStats,
  type Recovery,
} from "./journal.ts";
import { RecoveryReader } from "./recovery-reader.ts";

/**
 * The fencing check run inside each append transaction before the INSERT (the cluster passes one): returns the
 * shards whose rows must be refused. Without one, an append is a single autocommit statement.
 */
export type FenceCheck = (tx: pg.PoolClient, shards: number[]) => Promise<number[]>;

/** Options for `PgJournal`. */
export interface PgJournalOptions {
  pool: pg.Pool;
  /** Group-commit gathering window after a quiet period (default 0: the next event-loop turn). */
  windowMs?: number;
  /** Most actor appends per transaction (default 2000). */
  maxBatch?: number;
  fence?: FenceCheck;
}

// One statement whatever the batch size: the rows travel as one JSON array parameter.
const APPEND = `INSERT INTO actor_journal (persistence_id, seq_nr, event)
  SELECT p, s, e FROM jsonb_to_recordset($1::jsonb) AS t(p text, s bigint, e jsonb)`;
const FIND_TAKEN = `SELECT DISTINCT j.persistence_id AS p
  FROM jsonb_to_recordset($1::jsonb) AS t(p text, s bigint)
  JOIN actor_journal j ON j.persistence_id = t.p AND j.seq_nr = t.s`;
const SAVE_SNAPSHOT = `INSERT INTO actor_snapshots (persistence_id, seq_nr, state) VALUES ($1, $2, $3)
  ON CONFLICT (persistence_id) DO UPDATE SET seq_nr = EXCLUDED.seq_nr, state = EXCLUDED.state, written_at = now()
  WHERE actor_snapshots.seq_nr < EXCLUDED.seq_nr`;
const REPLAY_PAGE = `SELECT persistence_id, seq_nr, event FROM actor_journal
  WHERE persistence_id >= $1 AND persistence_id < $2 AND (persistence_id, seq_nr) > ($3, $4)
  ORDER BY persistence_id, seq_nr LIMIT $5`;
const PAGE = 20_000;

type Outcome = Error | undefined;
type Append = { rows: JournalRow[]; guard: AppendGuard | undefined };

/**
 * The PostgreSQL journal. Appends from all actors go through one `GroupCommit`: a batch is one multi-row INSERT
 * (one transaction). A plain INSERT rather than `ON CONFLICT DO NOTHING`: with several events per actor in a
 * batch, DO NOTHING could skip a taken row yet insert the same actor's next one behind another writer's event.
 * Here a unique violation aborts the whole statement; the writer then finds which actors hold taken sequence
 * numbers, fails only those (`JournalConflictError`) and retries the rest, so each actor's append is all or none.
 */
export class PgJournal implements Journal {
  private readonly writer: GroupCommit<Append>;
  private readonly reader: RecoveryReader;
  private readonly counters: JournalStats = emptyStats();

  constructor(private readonly opts: PgJournalOptions) {
    this.writer = new GroupCommit<Append>({
      write: (appends) => this.writeBatch(appends.map((a) => a.rows)),
      skip: (a) => (a.guard?.abandoned ? new AppendAbandonedError() : undefined),
      windowMs: opts.windowMs ?? 0,
      maxBatch: opts.maxBatch ?? 2_000,
      // One transaction in flight: batches commit in submission order, which an actor's pipelined appends rely on.
      maxInFlight: 1,
    });
    this.reader = new RecoveryReader(opts.pool, this.counters);
  }

  append(rows: JournalRow[], guard?: AppendGuard): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.writer.submit({ rows, guard });
  }

  recover(persistenceId: string): Promise<Recovery> {
    return this.reader.recover(persistenceId);
  }

  async saveSnapshot(persistenceId: string, seqNr: number, state: unknown): Promise<void> {
    this.counters.statements++;
    await this.opts.pool.query({ name: "snapshot-save", text: SAVE_SNAPSHOT, values: [persistenceId, seqNr, state] });
    this.counters.snapshotsWritten++;
  }

  async replayPrefix(prefix: string, fn: (persistenceId: string, seqNr: number, event: unknown) => void) {
    const upper = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    let after: [string, number] = ["", 0];
    for (;;) {
      this.counters.statements++;
      const res = await this.opts.pool.query<{ persistence_id: string; seq_nr: string; event: unknown }>({
        name: "journal-replay",
        text: REPLAY_PAGE,
        values: [prefix, upper, after[0], after[1], PAGE],
      });
      for (const row of res.rows) fn(row.persistence_id, Number(row.seq_nr), row.event);
      const last = res.rows.at(-1);
      if (last === undefined || res.rows.length < PAGE) return;
      after = [last.persistence_id, Number(last.seq_nr)];
    }
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  stats(): JournalStats {
    return { ...this.counters };
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private async writeBatch(appends: JournalRow[][]): Promise<Outcome[]> {
    const outcomes: Outcome[] = appends.map(() => undefined);
    let live = appends.map((_, i) => i);
    // Each round either commits or removes at least one conflicting actor; a few rounds cover real races.
    for (let round = 0; live.length > 0; round++) {
      const result = await this.tryInsert(live.map((i) => appends[i] ?? []));
      if (result.kind === "committed") {
        for (const [k, outcome] of result.outcomes.entries()) {
          const index = live[k];
          if (index !== undefined) outcomes[index] = outcome;
        }
        return outcomes;
      }
      const taken = await this.findTaken(live.map((i) => appends[i] ?? []));
      const still: number[] = [];
      for (const i of live) {
        const pid = appends[i]?.[0]?.persistenceId ?? "";
        if (taken.has(pid)) {
          this.counters.conflicts++;
          outcomes[i] = new JournalConflictError(pid);
        } else still.push(i);
      }
      if (round >= 5) {
        for (const i of still) outcomes[i] = result.error;
        return outcomes;
      }
      live = still;
    }
    return outcomes;
  }

  private async tryInsert(
    appends: JournalRow[][],
  ): Promise<{ kind: "committed"; outcomes: Outcome[] } | { kind: "conflict"; error: Error }> {
    const fence = this.opts.fence;
    if (fence === undefined) {
      try {
        const rows = appends.flat();
        await this.insert(this.opts.pool, rows);
        this.committed(rows.length);
        return { kind: "committed", outcomes: appends.map(() => undefined) };
      } catch (err) {
        if (isUniqueViolation(err)) return { kind: "conflict", error: err as Error };
        throw err;
      }
    }
    const client = await this.opts.pool.connect();
    try {
      this.counters.statements++;
      await client.query("BEGIN");
      const shards = [...new Set(appends.flatMap((a) => a.map((r) => r.shard)))];
      this.counters.statements++;
      const refused = new Set(await fence(client, shards));
      const outcomes: Outcome[] = appends.map((a) => {
        const shard = a[0]?.shard ?? -1;
        return refused.has(shard) ? new JournalFencedError(shard) : undefined;
      });
      this.counters.fenced += outcomes.filter((o) => o !== undefined).length;
      const rows = appends.filter((_, i) => outcomes[i] === undefined).flat();
      try {
        if (rows.length > 0) await this.insert(client, rows);
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        if (isUniqueViolation(err)) return { kind: "conflict", error: err as Error };
        throw err;
      }
      this.counters.statements++;
      await client.query("COMMIT");
      this.committed(rows.length);
      return { kind: "committed", outcomes };
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  private async insert(db: pg.Pool | pg.PoolClient, rows: JournalRow[]): Promise<void> {
    const json = JSON.stringify(rows.map((r) => ({ p: r.persistenceId, s: r.seqNr, e: r.event })));
    this.counters.statements++;
    await db.query({ name: "journal-append", text: APPEND, values: [json] });
  }

  private committed(events: number): void {
    if (events === 0) return;
    this.counters.transactions++;
    this.counters.eventsWritten += events;
    if (events > this.counters.maxEventsPerTransaction) this.counters.maxEventsPerTransaction = events;
  }

  private async findTaken(appends: JournalRow[][]): Promise<Set<string>> {
    const json = JSON.stringify(appends.flat().map((r) => ({ p: r.persistenceId, s: r.seqNr })));
    this.counters.statements++;
    const res = await this.opts.pool.query<{ p: string }>({ name: "journal-taken", text: FIND_TAKEN, values: [json] });
    return new Set(res.rows.map((r) => r.p));
  }
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof pg.DatabaseError && err.code === "23505";
}
