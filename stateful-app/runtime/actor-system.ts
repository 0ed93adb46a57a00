import { type AnyBehavior, actorKey } from "./actor.ts";
import { ActorCell, type CellHost, type PersistenceMode } from "./actor-cell.ts";
import {
  ActorStoppedError,
  JournalConflictError,
  JournalFencedError,
  MailboxFullError,
  ShardNotLocalError,
} from "./errors.ts";
import type { Journal, JournalStats } from "./journal.ts";
import type { Placement } from "./placement.ts";

/** Options for `ActorSystem`. */
export interface ActorSystemOptions {
  journal: Journal;
  placement: Placement;
  /** Default `sync`. */
  mode?: PersistenceMode;
  /** An activation idle (no queue, no timers, no pending write) this long is passivated. Default 120 s. */
  idleMs?: number;
  /** Most commands per turn. Default 512. */
  maxBatch?: number;
  /**
   * Most commands one actor's mailbox may hold: `ask` beyond it fails at once with `MailboxFullError` (the hot
   * actor of a flash sale sheds instead of queueing without bound). `tell` is never refused. 0 (default): no bound.
   */
  mailboxMax?: number;
  /** Called when an actor stops on an error (conflict, fenced, failed recovery or snapshot). */
  onError?: (key: string, reason: string, err: unknown) => void;
}

/** Per-message options of `ask`. */
export interface AskOptions {
  /**
   * The caller knows this actor has no journal yet (e.g. a seat nobody touched): if it must be activated, skip the
   * recovery read. The caller gives it only for a command whose first turn persists (a hold), so a wrong guess
   * meets the journal's primary key at that turn's append (its sequence numbers start at 1 again) and the
   * activation stops (`staleStops`, `freshConflicts`); after such a conflict the hint is ignored for that actor.
   * - sync mode: replies wait for that append, so a wrong guess never reaches a client.
   * - async mode (write-behind): replies go out before the append, as for every write in that mode, so a wrong
   *   guess can acknowledge what the journal then refuses: the acknowledgements of that one activation, given
   *   before its first append failed, are lost like those of a crash (the audit reports them as lost). The
   *   guess comes from the seat board, which sees every event of the actors it covers, so it is wrong only if
   *   another writer appended behind the board's back (a stale owner is fenced out before it can).
   */
  fresh?: boolean;
}

/** Counters for `/metrics`. */
export interface RuntimeStats {
  activeActors: number;
  activations: number;
  /** Activations that skipped the recovery read (`AskOptions.fresh`). */
  freshActivations: number;
  /** Of those, activations whose first append met a journal the hint said did not exist (then stopped). */
  freshConflicts: number;
  passivations: number;
  /** Activations stopped because the journal refused their append (stale) or their shard was lost. */
  staleStops: number;
  shardStops: number;
  messages: number;
  turns: number;
  /** Asks refused because the actor's mailbox was full (`mailboxMax`). */
  mailboxFull: number;
  journal: JournalStats;
}

/**
 * The actor registry of one node: actors are addressed by kind + id, activated on their first message (state
 * recovered from the latest snapshot plus the journal after it), passivated when idle, and stopped at once when
 * their shard leaves the node (`deactivateShard`) or the journal shows them stale.
 */
export class ActorSystem {
  readonly mode: PersistenceMode;
  private readonly behaviors = new Map<string, AnyBehavior>();
  private readonly cells = new Map<string, ActorCell>();
  private readonly byShard = new Map<number, Set<ActorCell>>();
  private readonly host: CellHost;
  private readonly idleMs: number;
  private readonly mailboxMax: number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly counters = {
    activations: 0,
    freshActivations: 0,
    freshConflicts: 0,
    passivations: 0,
    staleStops: 0,
    shardStops: 0,
    mailboxFull: 0,
  };
  /** Actors whose `fresh` hint proved wrong: always recovered from the journal. */
  private readonly notFresh = new Set<string>();
  private readonly turnCounters = { messages: 0, turns: 0 };
  private closing: Promise<void> | null = null;

  constructor(private readonly opts: ActorSystemOptions) {
    this.mode = opts.mode ?? "sync";
    this.idleMs = opts.idleMs ?? 120_000;
    this.mailboxMax = opts.mailboxMax ?? 0;
    const onError = opts.onError ?? (() => {});
    this.host = {
      journal: opts.journal,
      mode: this.mode,
      maxBatch: opts.maxBatch ?? 512,
      counters: this.turnCounters,
      detach: (cell) => this.detach(cell),
      onError: (cell, reason, err) => {
        if (err instanceof JournalConflictError || err instanceof JournalFencedError) this.counters.staleStops++;
        if (err instanceof JournalConflictError && cell.fresh) {
          this.counters.freshConflicts++;
          this.notFresh.add(cell.key);
        }
        onError(cell.key, reason, err);
      },
    };
    opts.placement.onShardLost((shard) => this.deactivateShard(shard));
    this.sweeper = setInterval(() => this.passivateIdle(), Math.max(10, Math.min(this.idleMs / 2, 10_000)));
    this.sweeper.unref();
  }

  /** Registers an actor kind. */
  register(behavior: AnyBehavior): this {
    if (this.behaviors.has(behavior.kind)) throw new Error(`actor kind registered twice: ${behavior.kind}`);
    this.behaviors.set(behavior.kind, behavior);
    return this;
  }

  /** Sends `command` to actor `kind`/`id` (activating it if needed) and resolves with its reply. */
  ask<R>(kind: string, id: string, command: unknown, opts?: AskOptions): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const cell = this.cellFor(kind, id, opts?.fresh === true);
      if (cell instanceof Error) reject(cell);
      else if (this.mailboxMax > 0 && cell.mailboxDepth >= this.mailboxMax) {
        this.counters.mailboxFull++;
        reject(new MailboxFullError(cell.key, cell.mailboxDepth));
      } else cell.enqueue(command, resolve as (v: unknown) => void, reject);
    });
  }

  /** Sends `command` without waiting for a reply; failures are dropped. */
  tell(kind: string, id: string, command: unknown): void {
    const cell = this.cellFor(kind, id);
    if (!(cell instanceof Error)) cell.enqueue(command);
  }

  /** Whether an actor is active on this node now. */
  isActive(kind: string, id: string): boolean {
    return this.cells.has(actorKey(kind, id));
  }

  /** Stops every actor of `shard` at once; their queued commands fail with a retriable error. */
  deactivateShard(shard: number): number {
    const cells = [...(this.byShard.get(shard) ?? [])];
    const error = new ShardNotLocalError(shard, 500);
    for (const cell of cells) cell.stop(error);
    this.counters.shardStops += cells.length;
    return cells.length;
  }

  /** Resolves when every event persisted so far (including async write-behind) is committed or failed. */
  async flush(): Promise<void> {
    for (;;) {
      const writes = [...this.cells.values()].map((c) => c.pendingWrite).filter((w) => w !== null);
      await Promise.all([...writes, this.opts.journal.flush()]);
      if (writes.length === 0) return;
    }
  }

  stats(): RuntimeStats {
    return {
      activeActors: this.cells.size,
      ...this.counters,
      ...this.turnCounters,
      journal: this.opts.journal.stats(),
    };
  }

  /** Flushes the journal and stops every actor. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.sweeper);
      await this.flush();
      const error = new ActorStoppedError("*", "node shutting down");
      for (const cell of [...this.cells.values()]) cell.stop(error);
    })();
    return this.closing;
  }

  private cellFor(kind: string, id: string, fresh = false): ActorCell | Error {
    const key = actorKey(kind, id);
    const existing = this.cells.get(key);
    if (existing !== undefined) return existing;
    if (this.closing !== null) return new ActorStoppedError(key, "node shutting down");
    const behavior = this.behaviors.get(kind);
    if (behavior === undefined) return new Error(`unknown actor kind: ${kind}`);
    const shard = this.opts.placement.shardOf(key);
    const route = this.opts.placement.route(shard);
    if (route.kind !== "local")
      return new ShardNotLocalError(shard, route.kind === "unavailable" ? route.retryAfterMs : 0);
    const cell = new ActorCell(behavior, id, key, shard, this.host);
    this.cells.set(key, cell);
    let set = this.byShard.get(shard);
    if (set === undefined) {
      set = new Set();
      this.byShard.set(shard, set);
    }
    set.add(cell);
    this.counters.activations++;
    if (fresh && !this.notFresh.has(key)) {
      this.counters.freshActivations++;
      cell.fresh = true;
      cell.recovered({ snapshot: null, events: [] });
      return cell;
    }
    this.opts.journal.recover(key).then(
      (recovery) => {
        try {
          cell.recovered(recovery);
        } catch (err) {
          this.host.onError(cell, "recovery failed", err);
          cell.stop(new ActorStoppedError(key, `recovery failed: ${(err as Error).message}`));
        }
      },
      (err) => {
        this.host.onError(cell, "recovery failed", err);
        cell.stop(new ActorStoppedError(key, `recovery failed: ${(err as Error).message}`));
      },
    );
    return cell;
  }

  private detach(cell: ActorCell): void {
    if (this.cells.get(cell.key) === cell) this.cells.delete(cell.key);
    this.byShard.get(cell.shard)?.delete(cell);
  }

  private passivateIdle(): void {
    const before = Date.now() - this.idleMs;
    for (const cell of this.cells.values()) {
      if (cell.status === "ready" && cell.idle && cell.lastActivity <= before) {
        this.counters.passivations++;
        cell.stop(new ActorStoppedError(cell.key, "passivated"));
      }
    }
  }
}
