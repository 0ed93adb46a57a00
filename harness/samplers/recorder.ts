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
  let last: { at: number; counters: Record<string, number> } | undefined;
  let latest: Record<string, number> = {};
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
    const counters: Record<string, number> = {};
    const gauges: Record<string, number> = {};
    for (const r of results) {
      if (!r) continue;
      Object.assign(counters, r.counters);
      Object.assign(gauges, r.gauges);
    }
    latest = { ...latest, ...counters };
    // An extra tick right after a timer tick (at a window edge) would divide by a tiny dt: keep it for the totals
    // only, and let the next regular tick's rate cover the whole interval.
    if (last && at - last.at < intervalMs / 2) return;
    if (last) {
      const dt = (at - last.at) / 1000;
      const rates: Record<string, number> = {};
      for (const [k, v] of Object.entries(counters)) {
        const prev = last.counters[k];
        if (prev !== undefined && dt > 0) rates[k] = Math.max(0, (v - prev) / dt);
      }
      rows.push({ t: (at - started) / 1000, rates, gauges });
    }
    last = { at, counters: { ...last?.counters, ...counters } };
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
