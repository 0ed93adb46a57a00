import type { Sample, SampleRow, Sampler } from "./types.ts";

export interface RecorderOptions {
  samplers: Sampler[];
  intervalMs?: number;
  /** Hard stop after this many ticks, whatever happens (every loop here is bounded). */
  maxTicks?: number;
}

export interface Recorder {
  /** Rows so far, one per tick, rates per second. */
  readonly rows: SampleRow[];
  /** Samplers that failed at least once, with their last error. A failed sampler is a warning in the report. */
  readonly failures: Map<string, string>;
  /** Cumulative counters at the latest tick (for totals over a window). */
  totals(): Record<string, number>;
  /** Takes one sample right now (e.g. at the edge of the measured window). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs every sampler once a second and turns cumulative counters into per-second rates, so all sources
 * share one time axis. A sampler that throws is recorded in `failures` and skipped for that tick.
 */
export function startRecorder(opts: RecorderOptions): Recorder {
  const intervalMs = opts.intervalMs ?? 1000;
  const maxTicks = opts.maxTicks ?? 24 * 3600;
  const started = performance.now();
  const rows: SampleRow[] = [];
  const failures = new Map<string, string>();
  /** Each counter's previous read: value and when it was read. */
  const previous = new Map<string, { v: number; at: number }>();
  let lastTickAt: number | undefined;
  const latest: Record<string, number> = {};
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  async function tickOnce(): Promise<void> {
    const at = performance.now();
    const results = await Promise.all(
      opts.samplers.map(async (s): Promise<Sample | undefined> => {
        try {
          return await s.sample();
        } catch (err) {
          failures.set(s.name, err instanceof Error ? err.message : String(err));
          return undefined;
        }
      }),
    );
    const reads = new Map<string, { v: number; at: number; ceiling: number | undefined }>();
    const gauges: Record<string, number> = {};
    for (const r of results) {
      if (!r) continue;
      for (const [k, v] of Object.entries(r.counters))
        reads.set(k, { v, at: r.times?.[k] ?? at, ceiling: r.ceilings?.[k] });
      Object.assign(gauges, r.gauges);
    }
    for (const [k, r] of reads) latest[k] = r.v;
    // An extra tick right after a timer tick (at a window edge) would divide by a tiny dt: keep it for the totals
    // only, and let the next regular tick's rate cover the whole interval.
    if (lastTickAt !== undefined && at - lastTickAt < intervalMs / 2) return;
    const first = lastTickAt === undefined;
    lastTickAt = at;
    const rates: Record<string, number> = {};
    for (const [k, r] of reads) {
      const prev = previous.get(k);
      // Each counter over the time between its own two reads: a sampler that stalled in one tick (a busy machine
      // delays its reads) or failed in another must not divide two seconds of work by one.
      const dt = prev ? (r.at - prev.at) / 1000 : 0;
      if (prev && dt * 1000 < intervalMs / 2) continue; // too close to measure; the next row covers it
      if (prev) rates[k] = Math.min(Math.max(0, (r.v - prev.v) / dt), r.ceiling ?? Number.POSITIVE_INFINITY);
      previous.set(k, { v: r.v, at: r.at });
    }
    if (!first) rows.push({ t: (at - started) / 1000, rates, gauges });
  }

  function tick(): Promise<void> {
    running = running.then(tickOnce);
    return running;
  }

  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
    if (ticks > maxTicks) clearInterval(timer);
    else void tick();
  }, intervalMs);
  void tick();

  return {
    rows,
    failures,
    totals: () => ({ ...latest }),
    tick,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
      await Promise.all(opts.samplers.map((s) => s.close().catch(() => undefined)));
    },
  };
}
