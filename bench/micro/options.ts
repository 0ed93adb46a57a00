/** Command-line options of `npm run bench:micro`. */
export interface MicroOptions {
  /** Short runs for a smoke test (CI): the figures are not meant to be read. */
  quick: boolean;
  /** Substrings of case ids to run; empty = every case. */
  cases: string[];
  /** Folder for `micro-<timestamp>.json`. */
  outDir: string;
}

/** How long tinybench measures each task. */
export interface BenchTiming {
  timeMs: number;
  warmupTimeMs: number;
  /** Minimum iterations (tinybench keeps going until both the time and this count are reached). */
  iterations: number;
  warmupIterations: number;
}

export const USAGE = `usage: npm run bench:micro -- [--quick] [--case <substring>]... [--out <dir>]
  --quick            ~0.1 s per task instead of 1 s (smoke test; figures are not meaningful)
  --case <substring> run only cases whose id contains it (repeatable)
  --out <dir>        where micro-<timestamp>.json goes (default: results)`;

/** Parses argv (without node and the script); throws with the usage on anything unknown. */
export function parseMicroArgs(argv: readonly string[]): MicroOptions {
  const opts: MicroOptions = { quick: false, cases: [], outDir: "results" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === "--quick") opts.quick = true;
    else if (arg === "--case") opts.cases.push(value());
    else if (arg === "--out") opts.outDir = value();
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return opts;
}

/** Fixed time per task, so the whole run is bounded: ~1.25 s per task in full, ~0.12 s in quick mode. */
export function timingFor(quick: boolean): BenchTiming {
  return quick
    ? { timeMs: 100, warmupTimeMs: 20, iterations: 8, warmupIterations: 2 }
    : { timeMs: 1_000, warmupTimeMs: 250, iterations: 64, warmupIterations: 16 };
}
