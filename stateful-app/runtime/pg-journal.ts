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
 * Fencing for a cluster member (the cluster passes one; without it an append is a plain INSERT). Per batch the
 * journal asks which epoch this node holds for each shard, then writes the batch as ONE autocommit statement
 * (`FENCED_APPEND`) that inserts a shard's rows only while its `shard_owner.epoch` (the cluster's table) still
 * equals that epoch and the node's ownership session is alive. The shard rows are locked `FOR SHARE` until that
 * statement commits, so an epoch bump (a take-over) waits for it, and a statement that waited for a bump sees the
 * new epoch and refuses the shard: a stale owner cannot append.
 */
export interface FenceCheck {
  /**
   * The epoch this node holds for each of `shards` it owns (a shard left out is refused without asking the
   * database), and the backend pid of its ownership session (appends are refused once that session is gone).
   */
  expect(shards: readonly number[]): { sessionPid: number; epochs: ReadonlyMap<number, number> };
  /** The shards refused by a batch (not owned, epoch moved on, or session gone): the node must drop them. */
  refused(shards: readonly number[]): void;
}

/** Options for `PgJournal`. */
export interface PgJournalOptions {
  pool: pg.Pool;
  /** Group-commit gathering window after a quiet period (default 0: the next event-loop turn). */
  windowMs?: number;
  /** Least time between the starts of two transactions under load (default 0; see `GroupCommitOptions`). */
  spacingMs?: number;
  /** Most actor appends per transaction (default 2000). */
  maxBatch?: number;
  fence?: FenceCheck;
}

// One statement whatever the batch size: the rows travel as one JSON array parameter.
const APPEND = `INSERT INTO actor_journal (persistence_id, seq_nr, event)
  SELECT p, s, e FROM jsonb_to_recordset($1::jsonb) AS t(p text, s bigint, e jsonb)`;
// The fenced form, still one statement: `f` locks the shard rows whose epoch matches (in shard order, as the
// epoch bump does, so the two cannot deadlock) while the ownership session ($4) is alive; only rows of those
// shards are inserted. A unique violation still aborts the whole statement (see `writeBatch`).
const FENCED_APPEND = `WITH f AS MATERIALIZED (
    SELECT o.shard FROM shard_owner o JOIN unnest($2::int[], $3::bigint[]) AS w(h, x) ON o.shard = w.h AND o.epoch = w.x
    WHERE EXISTS (SELECT 1 FROM pg_stat_get_activity($4::int))
    ORDER BY o.shard FOR SHARE OF o),
  ins AS (INSERT INTO actor_journal (persistence_id, seq_nr, event)
    SELECT p, s, e FROM jsonb_to_recordset($1::jsonb) AS t(p text, s bigint, e jsonb, h int)
    WHERE h IN (SELECT shard FROM f) RETURNING 1)
  SELECT array(SELECT shard FROM f) AS passed, (SELECT count(*) FROM ins) AS inserted`;
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
/** How long the writer keeps its session after the last batch (ms). */
const LINGER_MS = 100;

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
  /**
   * The writer's session, checked out of the pool while batches keep coming and given back after `LINGER_MS`
   * without one: a `pool.query` per batch (check-out, listeners, release) was a fifth of the journal's CPU in
   * profiles, and one batch is in flight at a time anyway. Discarded on any error (the next batch checks out a
   * fresh one), so a cut or broken session is never reused.
   */
  private writerClient: Promise<pg.PoolClient> | null = null;
  private writerBusy = 0;
  private linger: NodeJS.Timeout | null = null;
  private readonly writerOnError = new WeakMap<pg.PoolClient, (err: Error) => void>();

  constructor(private readonly opts: PgJournalOptions) {
    this.writer = new GroupCommit<Append>({
      write: (appends) => this.writeBatch(appends.map((a) => a.rows)),
      skip: (a) => (a.guard?.abandoned ? new AppendAbandonedError() : undefined),
      windowMs: opts.windowMs ?? 0,
      spacingMs: opts.spacingMs ?? 0,
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
    this.releaseWriter();
  }

  /** Runs one statement of the writer on its held session (see `writerClient`). */
  private async write<R extends pg.QueryResultRow>(query: pg.QueryConfig): Promise<pg.QueryResult<R>> {
    if (this.linger !== null) clearTimeout(this.linger);
    this.linger = null;
    this.writerBusy++;
    this.writerClient ??= this.checkOut();
    const held = this.writerClient;
    try {
      const client = await held;
      try {
        return await client.query<R>(query);
      } catch (err) {
        this.dropWriter(held, err);
        throw err;
      }
    } catch (err) {
      if (this.writerClient === held) this.writerClient = null;
      throw err;
    } finally {
      if (--this.writerBusy === 0 && this.writerClient !== null) {
        this.linger = setTimeout(() => this.releaseWriter(), LINGER_MS);
      }
    }
  }

  private async checkOut(): Promise<pg.PoolClient> {
    const client = await this.opts.pool.connect();
    const held = this.writerClient;
    // A checked-out client has no pool error listener: without this one a session cut while idle would throw.
    // Removed again when the session goes back to the pool (which reuses the same client object).
    const onError = (err: Error) => {
      if (held !== null) this.dropWriter(held, err);
    };
    client.on("error", onError);
    this.writerOnError.set(client, onError);
    return client;
  }

  /** Gives the session back to the pool; with an error, the pool closes it instead of reusing it. */
  private giveBack(held: Promise<pg.PoolClient>, err?: Error): void {
    void held.then(
      (c) => {
        const onError = this.writerOnError.get(c);
        if (onError !== undefined) c.removeListener("error", onError);
        this.writerOnError.delete(c);
        c.release(err);
      },
      () => {},
    );
  }

  /** Discards the held session after an error. */
  private dropWriter(held: Promise<pg.PoolClient>, err: unknown): void {
    if (this.writerClient !== held) return;
    this.writerClient = null;
    this.giveBack(held, err instanceof Error ? err : new Error(String(err)));
  }

  private releaseWriter(): void {
    if (this.linger !== null) clearTimeout(this.linger);
    this.linger = null;
    const held = this.writerClient;
    if (held === null || this.writerBusy > 0) return;
    this.writerClient = null;
    this.giveBack(held);
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
    try {
      const fence = this.opts.fence;
      const outcomes = fence === undefined ? await this.insert(appends) : await this.insertFenced(fence, appends);
      return { kind: "committed", outcomes };
    } catch (err) {
      if (isUniqueViolation(err)) return { kind: "conflict", error: err as Error };
      throw err;
    }
  }

  private async insert(appends: JournalRow[][]): Promise<Outcome[]> {
    const rows = appends.flat();
    const json = JSON.stringify(rows.map((r) => ({ p: r.persistenceId, s: r.seqNr, e: r.event })));
    this.counters.statements++;
    await this.write({ name: "journal-append", text: APPEND, values: [json] });
    this.committed(rows.length);
    return appends.map(() => undefined);
  }

  /** One statement, autocommit (atomic on its own, so no BEGIN/COMMIT): fence check and INSERT together. */
  private async insertFenced(fence: FenceCheck, appends: JournalRow[][]): Promise<Outcome[]> {
    // An actor's rows all carry its shard; the append's first row decides for all of them (all or none).
    const shardOf = (a: JournalRow[]) => a[0]?.shard ?? -1;
    const { sessionPid, epochs } = fence.expect([...new Set(appends.map(shardOf))]);
    const asked = appends.filter((a) => epochs.has(shardOf(a)));
    let passed = new Set<number>();
    if (asked.length > 0) {
      const shards = [...new Set(asked.map(shardOf))];
      const json = JSON.stringify(
        asked.flatMap((a) => a.map((r) => ({ p: r.persistenceId, s: r.seqNr, e: r.event, h: shardOf(a) }))),
      );
      this.counters.statements++;
      const res = await this.write<{ passed: number[]; inserted: string }>({
        name: "journal-append-fenced",
        text: FENCED_APPEND,
        values: [json, shards, shards.map((s) => epochs.get(s)), sessionPid],
      });
      passed = new Set(res.rows[0]?.passed ?? []);
      const expected = asked.filter((a) => passed.has(shardOf(a))).reduce((n, a) => n + a.length, 0);
      // Cannot differ unless the statement is wrong; fail the batch (its actors recover) rather than diverge.
      if (Number(res.rows[0]?.inserted) !== expected) {
        throw new Error(`fenced append inserted ${res.rows[0]?.inserted} rows, expected ${expected}`);
      }
      this.committed(expected);
    }
    const outcomes: Outcome[] = appends.map((a) =>
      passed.has(shardOf(a)) ? undefined : new JournalFencedError(shardOf(a)),
    );
    const refused = new Set(appends.filter((_, i) => outcomes[i] !== undefined).map(shardOf));
    if (refused.size > 0) {
      this.counters.fenced += outcomes.filter((o) => o !== undefined).length;
      fence.refused([...refused]);
    }
    return outcomes;
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
    const res = await this.write<{ p: string }>({ name: "journal-taken", text: FIND_TAKEN, values: [json] });
    return new Set(res.rows.map((r) => r.p));
  }
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof pg.DatabaseError && err.code === "23505";
}
