import type { AppRunSummary, RunSummary } from "../results/types.ts";
import { GATED } from "./metrics.ts";

/**
 * A baseline: the gated metrics of repeated runs of the `ci` profile. `values` holds one number per repetition
 * for each `<scenario>/<app>/<metric>`; `ratios` holds, per repetition, stateful / stateless for each timing
 * metric `<scenario>/<metric>` — both apps measured in the same run on the same machine, so machine speed
 * cancels out.
 */
export interface Baseline {
  version: 1;
  createdAt: string;
  machine: { cpu: string; cores: number; node: string; commit: string | null };
  repetitions: number;
  values: Record<string, number[]>;
  ratios: Record<string, number[]>;
}

/** Collects the gated metrics of repeated runs into the baseline shape (also used for the current runs). */
export function toBaseline(runs: RunSummary[]): Baseline {
  const values: Record<string, number[]> = {};
  const ratios: Record<string, number[]> = {};
  const push = (map: Record<string, number[]>, key: string, v: number | null) => {
    if (v === null || !Number.isFinite(v)) return;
    map[key] ??= [];
    map[key].push(v);
  };
  for (const run of runs) {
    const byScenario = new Map<string, Partial<Record<string, AppRunSummary>>>();
    for (const r of run.results) {
      for (const m of GATED) push(values, `${r.scenario}/${r.app}/${m.name}`, m.read(r));
      byScenario.set(r.scenario, { ...byScenario.get(r.scenario), [r.app]: r });
    }
    for (const [scenario, apps] of byScenario) {
      const sf = apps.stateful;
      const sl = apps.stateless;
      if (!sf || !sl) continue;
      for (const m of GATED.filter((g) => g.kind === "timing")) {
        const a = m.read(sf);
        const b = m.read(sl);
        if (a !== null && b !== null && b > 0) push(ratios, `${scenario}/${m.name}`, a / b);
      }
    }
  }
  const env = runs[0]?.environment;
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    machine: {
      cpu: env?.cpu.model ?? "unknown",
      cores: env?.cpu.cores ?? 0,
      node: env?.versions.node ?? process.version,
      commit: env?.git.commit ?? null,
    },
    repetitions: runs.length,
    values,
    ratios,
  };
}
