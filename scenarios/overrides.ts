import { journeyCap, peakRate } from "./arrival.ts";
import { splitSeats } from "./layout.ts";
import type { Scenario } from "./types.ts";
import { ScenarioError, validateScenario } from "./validate.ts";

/** What the CLI flags `--rate --duration --seats --nodes --node-cpu` change. */
export interface ScenarioOverrides {
  /** Peak journeys/s: the start rate and every stage target scale so the peak equals it; warm-up is capped at it. */
  rate?: number;
  /** Seconds of measured schedule: stage durations and fault times scale to fit. */
  durationS?: number;
  /** Total seats, split evenly over the same number of sections (fewer when seats < sections). */
  seats?: number;
  nodes?: number;
  /** Cores per node, or null for no quota. */
  nodeCpu?: number | null;
}

/**
 * Returns a copy of the scenario with the overrides applied and validated; throws a `ScenarioError` listing
 * every problem (of the overrides and of the resulting scenario). `maxJourneys` is recomputed for the new
 * schedule. Example: `withOverrides(loadScenario("flash-sale"), { rate: 300, durationS: 20 })`.
 */
export function withOverrides(scenario: Scenario, o: ScenarioOverrides): Scenario {
  const problems: string[] = [];
  const positive = (flag: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isFinite(v) && v > 0))
      problems.push(`${flag}: must be a positive number (got ${v})`);
  };
  positive("--rate", o.rate);
  positive("--duration", o.durationS);
  positive("--seats", o.seats);
  positive("--nodes", o.nodes);
  if (o.nodeCpu !== undefined && o.nodeCpu !== null) positive("--node-cpu", o.nodeCpu);
  if (o.seats !== undefined && !Number.isInteger(o.seats))
    problems.push(`--seats: must be an integer (got ${o.seats})`);
  if (o.nodes !== undefined && !Number.isInteger(o.nodes))
    problems.push(`--nodes: must be an integer (got ${o.nodes})`);
  if (problems.length > 0) throw new ScenarioError(scenario.name, problems);

  const s: Scenario = structuredClone(scenario);
  if (o.rate !== undefined) {
    const peak = peakRate(s.arrival);
    const k = peak > 0 ? o.rate / peak : 0;
    s.arrival.startRate *= k;
    s.arrival.stages = s.arrival.stages.map((st) => ({ ...st, target: peak > 0 ? st.target * k : (o.rate ?? 0) }));
    s.arrival.warmupRate = Math.min(s.arrival.warmupRate, o.rate);
  }
  if (o.durationS !== undefined) {
    const total = s.arrival.stages.reduce((sum, st) => sum + st.durationS, 0);
    const k = o.durationS / total;
    s.arrival.stages = s.arrival.stages.map((st) => ({ ...st, durationS: st.durationS * k }));
    s.faults = s.faults.map((f) => ({ ...f, atS: f.atS * k }));
  }
  if (o.seats !== undefined) {
    s.event.sections = splitSeats(o.seats, s.event.sections.length);
    if (s.journey.hotSeats !== undefined) s.journey.hotSeats = Math.min(s.journey.hotSeats, o.seats);
  }
  if (o.nodes !== undefined) s.cluster.nodes = o.nodes;
  if (o.nodeCpu !== undefined) s.cluster.nodeCpu = o.nodeCpu;
  s.arrival.maxJourneys = journeyCap(s.arrival.startRate, s.arrival.stages);

  const r = validateScenario(s);
  if (!r.ok) throw new ScenarioError(s.name, r.problems);
  return r.scenario;
}
