/**
 * Every timed thing the driver waits for (the next arrival, each journey's think time, the schedule's end) in
 * one min-heap behind one timer. A wake-up runs everything already due, so requests due together go out
 * together; on this VM a timer wake-up costs 60-116 µs of CPU, more than a request. Adding or cancelling is
 * O(log n), where thousands of think-time sleeps on one shared AbortSignal cost O(n) each.
 */
export class Wakeups {
  private readonly times: number[] = [];
  private readonly fns: Array<(live: boolean) => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  /** Pending wake-ups. */
  get size(): number {
    return this.times.length;
  }

  /**
   * Calls `fn(true)` once `performance.now()` reaches `at`, or `fn(false)` when `stop()` comes first. After
   * `stop()`, calls `fn(false)` at once.
   */
  at(at: number, fn: (live: boolean) => void): void {
    if (this.stopped) {
      fn(false);
      return;
    }
    this.push(at, fn);
    if (at < this.armedAt) this.arm(at);
  }

  /** Resolves true at `at`, false if stopped first. */
  sleepUntil(at: number): Promise<boolean> {
    return new Promise((resolve) => this.at(at, resolve));
  }

  /** Runs what is due now: called from the timer, and by the driver whenever it is awake anyway. */
  runDue(): void {
    const now = performance.now();
    while (this.times.length > 0 && (this.times[0] as number) <= now) this.pop()(true);
    if (this.times.length > 0) {
      const next = this.times[0] as number;
      if (next < this.armedAt || this.timer === undefined) this.arm(next);
    } else this.disarm();
  }

  /** Ends every pending wait (each gets `false`) and refuses new ones. */
  stop(): void {
    this.stopped = true;
    this.disarm();
    while (this.times.length > 0) this.pop()(false);
  }

  private arm(at: number) {
    this.disarm();
    this.armedAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.armedAt = Number.POSITIVE_INFINITY;
        this.runDue();
      },
      Math.max(0, at - performance.now()),
    );
  }

  private disarm() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  private push(at: number, fn: (live: boolean) => void) {
    const t = this.times;
    const f = this.fns;
    let i = t.length;
    t.push(at);
    f.push(fn);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((t[parent] as number) <= at) break;
      t[i] = t[parent] as number;
      f[i] = f[parent] as (live: boolean) => void;
      i = parent;
    }
    t[i] = at;
    f[i] = fn;
  }

  private pop(): (live: boolean) => void {
    const t = this.times;
    const f = this.fns;
    const top = f[0] as (live: boolean) => void;
    const lastT = t.pop() as number;
    const lastF = f.pop() as (live: boolean) => void;
    const n = t.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (t[r] as number) < (t[l] as number) ? r : l;
        if ((t[c] as number) >= lastT) break;
        t[i] = t[c] as number;
        f[i] = f[c] as (live: boolean) => void;
        i = c;
      }
      t[i] = lastT;
      f[i] = lastF;
    }
    return top;
  }
}
