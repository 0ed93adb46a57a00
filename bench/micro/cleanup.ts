/** A stack of cleanups run in reverse order; every one runs even when an earlier one throws. */
export class Cleanup {
  private readonly stack: Array<() => unknown> = [];

  constructor(private readonly onError: (err: unknown) => void) {}

  defer(fn: () => unknown): void {
    this.stack.push(fn);
  }

  async run(): Promise<void> {
    for (let fn = this.stack.pop(); fn !== undefined; fn = this.stack.pop()) {
      try {
        await fn();
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
