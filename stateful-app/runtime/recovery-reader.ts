import type pg from "pg";
import type { JournalStats, Recovery } from "./journal.ts";

// Snapshot and the events after it for many persistence ids in one statement.
const RECOVER = `WITH ids AS (SELECT unnest($1::text[]) COLLATE "C" AS pid),
  snap AS (SELECT s.persistence_id, s.seq_nr, s.state FROM actor_snapshots s JOIN ids ON s.persistence_id = ids.pid)
  SELECT 0 AS k, persistence_id, seq_nr, state AS data FROM snap
  UNION ALL
  SELECT 1 AS k, j.persistence_id, j.seq_nr, j.event AS data FROM actor_journal j JOIN ids ON j.persistence_id = ids.pid
  WHERE j.seq_nr > COALESCE((SELECT snap.seq_nr FROM snap WHERE snap.persistence_id = j.persistence_id), 0)
  ORDER BY 2, 1, 3`;

const MAX_IDS = 1_000;
const MAX_IN_FLIGHT = 2;

interface Waiter {
  resolve(r: Recovery): void;
  reject(err: Error): void;
}

/**
 * Groups the recoveries of actors activated at about the same time (a flash sale activates thousands of seat
 * actors in its first second) into one query per batch, so activation does not cost a statement per actor.
 */
export class RecoveryReader {
  private pending = new Map<string, Waiter[]>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly counters: JournalStats,
  ) {}

  recover(persistenceId: string): Promise<Recovery> {
    return new Promise<Recovery>((resolve, reject) => {
      const waiters = this.pending.get(persistenceId);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(persistenceId, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.pending.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    if (this.inFlight >= MAX_IN_FLIGHT || this.pending.size === 0) return;
    const batch = new Map<string, Waiter[]>();
    for (const [pid, waiters] of this.pending) {
      if (batch.size >= MAX_IDS) break;
      batch.set(pid, waiters);
    }
    for (const pid of batch.keys()) this.pending.delete(pid);
    this.inFlight++;
    this.query(batch).finally(() => {
      this.inFlight--;
      this.schedule();
    });
    this.schedule();
  }

  private async query(batch: Map<string, Waiter[]>): Promise<void> {
    try {
      this.counters.statements++;
      this.counters.recoveryQueries++;
      const res = await this.pool.query<{ k: number; persistence_id: string; seq_nr: string; data: unknown }>({
        name: "journal-recover",
        text: RECOVER,
        values: [[...batch.keys()]],
      });
      const found = new Map<string, Recovery>();
      for (const row of res.rows) {
        let r = found.get(row.persistence_id);
        if (r === undefined) {
          r = { snapshot: null, events: [] };
          found.set(row.persistence_id, r);
        }
        if (row.k === 0) r.snapshot = { seqNr: Number(row.seq_nr), state: row.data };
        else r.events.push({ seqNr: Number(row.seq_nr), event: row.data });
      }
      this.counters.actorsRecovered += batch.size;
      for (const [pid, waiters] of batch) {
        const r = found.get(pid) ?? { snapshot: null, events: [] };
        for (const w of waiters) w.resolve(r);
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
    }
  }
}
