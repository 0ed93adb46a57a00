import type { ActorContext, AnyBehavior } from "./actor.ts";
import { ActorStoppedError } from "./errors.ts";
import { AppendAbandonedError, type AppendGuard, type Journal, type JournalRow, type Recovery } from "./journal.ts";

/** `sync`: reply after the commit (default). `async`: write-behind, reply before the commit (may lose acks). */
export type PersistenceMode = "sync" | "async";

/** What a cell needs from its actor system. */
export interface CellHost {
  readonly journal: Journal;
  readonly mode: PersistenceMode;
  /** Most commands taken into one turn (and so into one append). */
  readonly maxBatch: number;
  readonly counters: { messages: number; turns: number };
  /** Removes the cell from the registry after it stopped. */
  detach(cell: ActorCell): void;
  onError(cell: ActorCell, reason: string, err: unknown): void;
}

interface Envelope {
  command: unknown;
  resolve?: (value: unknown) => void;
  reject?: (err: Error) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };

function release(batch: Envelope[], outcomes: Outcome[]): void {
  batch.forEach((env, i) => {
    const o = outcomes[i];
    if (o?.ok) env.resolve?.(o.value);
    else if (o) env.reject?.(o.error);
  });
}

/**
 * One activation: state, mailbox and timers of one actor. A turn takes every queued command (up to `maxBatch`),
 * runs them in order against the state and hands the turn's events to the journal as one append (like Akka's
 * `persistAll`). In `sync` mode the replies wait for that commit (and for every earlier append of the actor), so
 * no reply reveals uncommitted state, while the actor already runs its next turn: a busy section actor puts new
 * events into every group commit instead of one commit per round trip. In `async` mode replies go out at once
 * and the events are written behind, one append in flight per actor so that a failed append can drop what
 * follows it.
 */
export class ActorCell implements ActorContext<unknown, unknown, unknown> {
  status: "recovering" | "ready" | "stopped" = "recovering";
  seqNr = 0;
  /** Activated without a recovery read on the caller's word (`AskOptions.fresh`). */
  fresh = false;
  lastActivity = Date.now();
  // biome-ignore lint/suspicious/noExplicitAny: the state type belongs to the behaviour
  state: any;
  /** Created on the first timer: most actors never set one (memory per actor matters at 200,000 actors). */
  private timers: Map<string, NodeJS.Timeout> | null = null;
  private readonly queue: Envelope[] = [];
  private running = false;
  private turnEvents: JournalRow[] | null = null;
  private unflushed: JournalRow[] = [];
  private writing: Promise<void> | null = null;
  /** Sync mode: the commit of the actor's latest append, while it is outstanding, and the guards of all of them. */
  private lastCommit: Promise<void> | null = null;
  private readonly guards = new Set<AppendGuard>();
  private sinceSnapshot = 0;

  constructor(
    readonly behavior: AnyBehavior,
    readonly id: string,
    readonly key: string,
    readonly shard: number,
    private readonly host: CellHost,
  ) {
    this.state = behavior.initialState(id);
  }

  /** True when nothing is queued, running, pending a write or waiting on a timer. */
  get idle(): boolean {
    return (
      !this.running &&
      this.queue.length === 0 &&
      (this.timers === null || this.timers.size === 0) &&
      this.writing === null &&
      this.lastCommit === null
    );
  }

  /** Commands queued and not yet taken by a turn. */
  get mailboxDepth(): number {
    return this.queue.length;
  }

  /** The write-behind append in flight (async mode), if any. */
  get pendingWrite(): Promise<void> | null {
    return this.writing;
  }

  enqueue(command: unknown, resolve?: (v: unknown) => void, reject?: (e: Error) => void): void {
    this.queue.push({ command, resolve, reject });
    if (this.status === "ready" && !this.running) this.drain();
  }

  /** Recovers the state from a snapshot and the journal, re-arms timers, then processes what queued meanwhile. */
  recovered(recovery: Recovery): void {
    if (this.status !== "recovering") return;
    const snap = this.behavior.snapshot;
    if (recovery.snapshot && snap) {
      this.state = snap.load(recovery.snapshot.state);
      this.seqNr = recovery.snapshot.seqNr;
    }
    for (const { seqNr, event } of recovery.events) {
      this.state = this.behavior.applyEvent(this.state, event);
      this.seqNr = seqNr;
    }
    this.status = "ready";
    this.behavior.onRecovered?.(this);
    this.drain();
  }

  /** Stops the activation: timers cleared, queued commands rejected with `error`, removed from the registry. */
  stop(error: Error): void {
    if (this.status === "stopped") return;
    this.status = "stopped";
    for (const t of this.timers?.values() ?? []) clearTimeout(t);
    this.timers = null;
    this.unflushed = [];
    for (const env of this.queue.splice(0)) env.reject?.(error);
    this.host.detach(this);
  }

  persist(event: unknown): void {
    if (this.turnEvents === null) throw new Error(`${this.key}: persist is only allowed while handling a command`);
    this.seqNr++;
    this.turnEvents.push({ persistenceId: this.key, seqNr: this.seqNr, shard: this.shard, event });
    this.state = this.behavior.applyEvent(this.state, event);
  }

  setTimer(name: string, dueAtMs: number, command: unknown): void {
    this.cancelTimer(name);
    if (this.status === "stopped") return;
    const t = setTimeout(
      () => {
        this.timers?.delete(name);
        this.enqueue(command);
      },
      Math.max(0, dueAtMs - Date.now()),
    );
    t.unref();
    this.timers ??= new Map();
    this.timers.set(name, t);
  }

  cancelTimer(name: string): void {
    const t = this.timers?.get(name);
    if (t === undefined) return;
    clearTimeout(t);
    this.timers?.delete(name);
  }

  private drain(): void {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && this.status === "ready") this.turn();
    } finally {
      this.running = false;
      this.lastActivity = Date.now();
    }
  }

  private turn(): void {
    const batch = this.queue.splice(0, this.host.maxBatch);
    const events: JournalRow[] = [];
    const outcomes: Outcome[] = [];
    this.turnEvents = events;
    for (const env of batch) {
      try {
        outcomes.push({ ok: true, value: this.behavior.receive(this, env.command) });
      } catch (err) {
        outcomes.push({ ok: false, error: err instanceof Error ? err : new Error(String(err)) });
      }
    }
    this.turnEvents = null;
    this.host.counters.messages += batch.length;
    this.host.counters.turns++;
    if (this.host.mode === "async") {
      if (events.length > 0) {
        this.visible(events);
        this.unflushed.push(...events);
        if (this.writing === null) this.writing = this.writeBehind();
      }
      release(batch, outcomes);
    } else if (events.length > 0) {
      this.appendInOrder(events, batch, outcomes);
    } else if (this.lastCommit !== null) {
      // No events of its own, but its replies may depend on events not committed yet: they wait for them.
      this.lastCommit.then(
        () => release(batch, outcomes),
        (err) => this.fail(batch, err),
      );
    } else {
      release(batch, outcomes);
    }
  }

  /**
   * Sync mode: the turn's events are handed to the journal at once and the actor goes on with its next turn
   * (pipelining, like Akka's persistAsync), while this turn's replies wait for its commit. Appends of one actor
   * commit in order (one group commit in flight), so a released reply never depends on an uncommitted event; if
   * an append fails, the later ones are abandoned before they are written and the activation stops.
   */
  private appendInOrder(events: JournalRow[], batch: Envelope[], outcomes: Outcome[]): void {
    const guard: AppendGuard = { abandoned: false };
    this.guards.add(guard);
    const commit = this.host.journal.append(events, guard);
    this.lastCommit = commit;
    const settled = () => {
      this.guards.delete(guard);
      if (this.lastCommit === commit) this.lastCommit = null;
    };
    commit.then(
      () => {
        const latest = this.lastCommit === commit;
        settled();
        this.visible(events);
        this.afterCommit(events.length, latest);
        release(batch, outcomes);
      },
      (err) => {
        settled();
        this.fail(batch, err);
      },
    );
  }

  private fail(batch: Envelope[], err: unknown): void {
    const stopped = new ActorStoppedError(this.key, `journal append failed: ${(err as Error).message}`);
    for (const env of batch) env.reject?.(stopped);
    if (this.status === "stopped" || err instanceof AppendAbandonedError) return;
    // The state holds events the journal refused: this activation is stale and must not serve again.
    for (const g of this.guards) g.abandoned = true;
    this.host.onError(this, "journal append failed", err);
    this.stop(stopped);
  }

  private async writeBehind(): Promise<void> {
    try {
      while (this.unflushed.length > 0 && this.status !== "stopped") {
        const rows = this.unflushed;
        this.unflushed = [];
        await this.host.journal.append(rows);
        // Only a state with nothing left unwritten matches the committed sequence number.
        this.afterCommit(rows.length, this.unflushed.length === 0 && !this.running);
      }
    } catch (err) {
      this.host.onError(this, "write-behind append failed", err);
      this.stop(new ActorStoppedError(this.key, `journal append failed: ${(err as Error).message}`));
    } finally {
      this.writing = null;
    }
  }

  private visible(events: JournalRow[]): void {
    const first = events[0];
    if (this.behavior.onVisible === undefined || first === undefined) return;
    this.behavior.onVisible(
      this.key,
      first.seqNr,
      events.map((e) => e.event),
    );
  }

  private afterCommit(count: number, consistent = true): void {
    const snap = this.behavior.snapshot;
    if (snap === undefined) return;
    this.sinceSnapshot += count;
    if (this.sinceSnapshot < snap.every || !consistent) return;
    this.sinceSnapshot = 0;
    this.host.journal
      .saveSnapshot(this.key, this.seqNr, snap.save(this.state))
      .catch((err) => this.host.onError(this, "snapshot failed", err));
  }
}
