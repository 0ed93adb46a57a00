/** Options for `createBatcher`. */
export interface BatcherOptions<T> {
  /** Largest batch handed to `flush`. */
  maxBatch: number;
  /**
   * Writes one batch. A rejection rejects every item; returning an array rejects single items (entry i defined:
   * item i fails with it); any other result resolves them all.
   */
  flush(items: T[]): Promise<unknown>;
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
        const result = await opts.flush(batch.map((w) => w.item));
        const failures: unknown[] | undefined = Array.isArray(result) ? result : undefined;
        batch.forEach((w, i) => {
          const failure = failures?.[i];
          if (failure === undefined) w.resolve();
          else w.reject(failure);
        });
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
