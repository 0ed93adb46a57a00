/** Options for `createBatcher`. */
export interface BatcherOptions<T> {
  /** Largest batch handed to `flush`. */
  maxBatch: number;
  /** Writes one batch; its promise settles every item of the batch. */
  flush(items: T[]): Promise<void>;
}

/**
 * Group commit: items added while a flush runs wait for the next one, so the batch size follows the load (1 when
 * idle, up to `maxBatch` under pressure) with no timer adding latency. One flush at a time.
 */
export function createBatcher<T>(opts: BatcherOptions<T>) {
  let waiting: Array<{ item: T; resolve: () => void; reject: (err: unknown) => void }> = [];
  let running: Promise<void> | null = null;

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, opts.maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        await opts.flush(batch.map((w) => w.item));
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    running = null;
  }

  return {
    add(item: T): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        // setImmediate: jobs BullMQ hands over in the same turn join the first batch too.
        running ??= new Promise<void>((r) => setImmediate(r)).then(drain);
      });
    },
    /** Resolves when nothing is waiting or being written. */
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}
