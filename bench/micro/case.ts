/**
 * What a micro-benchmark case is: a named unit cost with its own setup, measured by tinybench. Cases receive the
 * shared private servers and a cleanup registry from the runner, so every resource they open is released even
 * when their setup fails halfway.
 */

/** One measured operation. */
export interface MicroTask {
  /** Shown in the table, e.g. `ask -> reply (no event)`. */
  name: string;
  /** One iteration. Throw when the operation took the wrong path: a benchmark of the wrong branch is worthless. */
  fn: () => unknown;
  /** Untimed work before each iteration (e.g. loading a fresh event when the seats run out). */
  beforeEach?: () => unknown;
  /** Work items per iteration (rows, asks, requests); the table then also shows the per-item cost. */
  items?: { count: number; unit: string };
}

/** What a case's setup returns. */
export interface CaseRun {
  tasks: MicroTask[];
  /** Facts gathered after the run that show what was measured (fsync setting, events per transaction, ...). */
  facts?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** What the runner gives a case. */
export interface CaseEnv {
  /** URL of the run's private PostgreSQL (started on first use, stopped by the runner). */
  postgresUrl(): Promise<string>;
  /** URL of the run's private Redis (started on first use, stopped by the runner). */
  redisUrl(): Promise<string>;
  /** Registers a cleanup, run in reverse order after the case, also when setup or the run failed. */
  defer(cleanup: () => unknown): void;
  /** Records a process the case started (e.g. HAProxy), so the report can show it is gone afterwards. */
  track(kind: string, pid: number | null): void;
  quick: boolean;
}

/** A micro-benchmark case: one file under `cases/`. */
export interface MicroCase {
  /** Matched by `--case <substring>`; also the row prefix in the table. */
  id: string;
  /** One line: what unit cost of which app this explains. */
  about: string;
  setup(env: CaseEnv): Promise<CaseRun>;
}
