/** A sampler reads one source of load once a second and returns counters (cumulative) or gauges. */
export interface Sampler {
  /** Short name used in warnings and series keys ("postgres", "redis", "haproxy", "processes"). */
  readonly name: string;
  /** Reads the source once. Cumulative counters are turned into per-second rates by the recorder. */
  sample(): Promise<Sample>;
  close(): Promise<void>;
}

export interface Sample {
  /** Monotonic counters (e.g. commits so far); the recorder differentiates them. */
  counters: Record<string, number>;
  /** Point-in-time values (e.g. RSS in MB, CPU %). */
  gauges: Record<string, number>;
  /**
   * When each counter was read (`performance.now()` ms), for samplers that know it better than the tick's start:
   * a rate is the counter's change over the time between its own two reads. Without it, the tick's start is used.
   */
  times?: Record<string, number>;
  /** The most a counter can grow per second (a process's CPU seconds: the machine's cores); rates are capped there. */
  ceilings?: Record<string, number>;
}

/** One tick of every sampler, rates already computed. `t` is seconds since the recorder started. */
export interface SampleRow {
  t: number;
  rates: Record<string, number>;
  gauges: Record<string, number>;
}
