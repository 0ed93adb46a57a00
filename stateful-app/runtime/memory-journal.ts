import { JournalConflictError } from "./errors.ts";
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

/**
 * An in-memory journal with the same contract as `PgJournal` (group commit, all-or-none appends per actor,
 * conflicts on taken sequence numbers), for unit tests of the runtime. Events are deep-copied as JSON so a test
 * sees exactly what a database would have stored.
 */
export class MemoryJournal implements Journal {
  readonly events = new Map<string, Array<{ seqNr: number; json: string }>>();
  readonly snapshots = new Map<string, { seqNr: number; json: string }>();
  private readonly seqs = new Map<string, Set<number>>();
  private readonly counters: JournalStats = emptyStats();
  private readonly writer = new GroupCommit<{ rows: JournalRow[]; guard?: AppendGuard }>({
    write: async (appends) => this.write(appends.map((a) => a.rows)),
    skip: (a) => (a.guard?.abandoned ? new AppendAbandonedError() : undefined),
  });

  append(rows: JournalRow[], guard?: AppendGuard): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return this.writer.submit({ rows, guard });
  }

  async recover(persistenceId: string): Promise<Recovery> {
    await Promise.resolve();
    this.counters.recoveryQueries++;
    this.counters.actorsRecovered++;
    const snap = this.snapshots.get(persistenceId);
    const from = snap?.seqNr ?? 0;
    return {
      snapshot: snap ? { seqNr: snap.seqNr, state: JSON.parse(snap.json) } : null,
      events: (this.events.get(persistenceId) ?? [])
        .filter((e) => e.seqNr > from)
        .map((e) => ({ seqNr: e.seqNr, event: JSON.parse(e.json) })),
    };
  }

  async saveSnapshot(persistenceId: string, seqNr: number, state: unknown): Promise<void> {
    const old = this.snapshots.get(persistenceId);
    if (old === undefined || old.seqNr < seqNr)
      this.snapshots.set(persistenceId, { seqNr, json: JSON.stringify(state) });
    this.counters.snapshotsWritten++;
  }

  async replayPrefix(prefix: string, fn: (persistenceId: string, seqNr: number, event: unknown) => void) {
    const ids = [...this.events.keys()].filter((k) => k.startsWith(prefix)).sort();
    for (const id of ids) for (const e of this.events.get(id) ?? []) fn(id, e.seqNr, JSON.parse(e.json));
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

  private write(appends: JournalRow[][]): Array<Error | undefined> {
    let events = 0;
    // Like PgJournal: a conflict fails every append of that actor in the batch, never a later one alone.
    const failed = new Set<string>();
    const outcomes = appends.map((rows) => {
      const pid = rows[0]?.persistenceId ?? "";
      const log = this.events.get(pid) ?? [];
      const taken = this.seqs.get(pid) ?? new Set<number>();
      if (failed.has(pid) || rows.some((r) => taken.has(r.seqNr))) {
        failed.add(pid);
        this.counters.conflicts++;
        return new JournalConflictError(pid);
      }
      for (const r of rows) {
        log.push({ seqNr: r.seqNr, json: JSON.stringify(r.event) });
        taken.add(r.seqNr);
      }
      if (rows.some((r, i) => i > 0 && (rows[i - 1]?.seqNr ?? 0) > r.seqNr) || log.length !== taken.size) {
        log.sort((a, b) => a.seqNr - b.seqNr);
      }
      this.events.set(pid, log);
      this.seqs.set(pid, taken);
      events += rows.length;
      return undefined;
    });
    this.counters.transactions++;
    this.counters.eventsWritten += events;
    this.counters.maxEventsPerTransaction = Math.max(this.counters.maxEventsPerTransaction, events);
    return outcomes;
  }
}
