/**
 * Group commit: items submitted by many callers are written together in one batch (one transaction). While
 * `maxInFlight` batches are in flight new items queue up and go out together as soon as one finishes, so the
 * batch size grows with the load by itself (the classic database group commit); `windowMs` optionally waits a
 * little before the first batch of a quiet period to gather more.
 *
 * Batches in flight at the same time may commit in any order. The actor runtime never has two appends of one
 * actor outstanding (sync mode waits for the commit; async mode writes behind one append at a time), so each
 * actor's events still commit in sequence order.
 */

/** Options for `GroupCommit`. */
export interface GroupCommitOptions<T> {
  /** Writes one batch; returns one outcome per item, in order: `undefined` when committed, else its error. */
  write(items: T[]): Promise<Array<Error | undefined>>;
  /** How long to gather after the first item of a quiet period (0 = the next turn of the event loop). */
  windowMs?: number;
  /** Most items per batch. */
  maxBatch?: number;
  /**
   * Least time between the starts of two batches (default 0). A batch that would start sooner waits for the rest:
   * what queues meanwhile joins it (PostgreSQL's `commit_delay`, on the client side). It only delays back-to-back
   * batches, i.e. under load: the first item after a quiet period goes out at once. A transaction costs the
   * writer about the same CPU whatever its size, so this bounds the writer's CPU per second.
   */
  spacingMs?: number;
  /** Most batches in flight at once (default 1). */
  maxInFlight?: number;
  /** Checked when a batch starts: an item for which it returns an error is left out and rejected with it. */
  skip?(item: T): Error | undefined;
}

interface Pending<T> {
  item: T;
  resolve(): void;
  reject(err: Error): void;
}

export class GroupCommit<T> {
  private pending: Array<Pending<T>> = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly spacingMs: number;
  /** When the latest batch started (performance.now()). */
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: GroupCommitOptions<T>) {
    this.windowMs = opts.windowMs ?? 0;
    this.maxBatch = opts.maxBatch ?? 2_000;
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 1);
    this.spacingMs = Math.max(0, opts.spacingMs ?? 0);
  }

  /** Queues `item`; resolves when its batch committed, rejects with its own error. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Number of items waiting for the next batch. */
  get queued(): number {
    return this.pending.length;
  }

  /** Writes everything queued now, without waiting for the window; resolves when all of it is done. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.inFlight.size > 0) {
      this.start();
      await Promise.race(this.inFlight);
    }
  }

  private schedule(): void {
    if (this.inFlight.size >= this.maxInFlight || this.timer !== null) return;
    // A quiet period (nothing in flight) waits for the window; otherwise the next event-loop turn.
    if (this.windowMs > 0 && this.inFlight.size === 0) this.timer = setTimeout(() => this.start(), this.windowMs);
    else this.next();
  }

  /** Starts the next batch on the next event-loop turn, or once `spacingMs` have passed since the latest start. */
  private next(): void {
    const wait = this.lastStart + this.spacingMs - performance.now();
    this.timer = wait >= 1 ? setTimeout(() => this.start(), Math.ceil(wait)) : setImmediate(() => this.start());
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = null;
  }

  private start(): void {
    this.clearTimer();
    if (this.inFlight.size >= this.maxInFlight || this.pending.length === 0) return;
    this.lastStart = performance.now();
    const batch = this.pending.splice(0, this.maxBatch);
    const flight: Promise<void> = this.run(batch).finally(() => {
      this.inFlight.delete(flight);
      // What queued meanwhile goes out without a new window, but on the next turn of the event loop, not now:
      // the callers just released are mid-way through promise continuations (an actor's next turn appends a few
      // microtasks later) and would otherwise miss this batch and wait a whole commit for the one after.
      if (this.pending.length > 0 && this.timer === null) this.next();
    });
    this.inFlight.add(flight);
  }

  private async run(all: Array<Pending<T>>): Promise<void> {
    const skip = this.opts.skip;
    let batch = all;
    if (skip !== undefined) {
      batch = [];
      for (const p of all) {
        const error = skip(p.item);
        if (error === undefined) batch.push(p);
        else p.reject(error);
      }
      if (batch.length === 0) return;
    }
    let outcomes: Array<Error | undefined>;
    try {
      outcomes = await this.opts.write(batch.map((p) => p.item));
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      outcomes = batch.map(() => error);
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined) p.resolve();
      else p.reject(outcome);
    });
  }
}
