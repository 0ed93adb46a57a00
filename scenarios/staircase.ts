import { journeyCap } from "./arrival.ts";
import type { Scenario } from "./types.ts";

type Arrival = Scenario["arrival"];
type Stage = Arrival["stages"][number];

/** One step of a breakpoint search: a short ramp from the previous rate, then a hold at `rate`. */
export interface Step {
  /** 0-based position in the staircase. */
  index: number;
  /** Journeys/s the step holds (its offered load). */
  rate: number;
  /** The rate the step ramps from (the previous step's, or `arrival.startRate` for the first). */
  fromRate: number;
  rampS: number;
  holdS: number;
}

/**
 * The staircase as stages: `steps` steps from `startRate`, each `growth` times the previous, each a `rampS` ramp
 * then a hold, so the whole search lasts `steps * stepS`. k6's ramping-arrival-rate runs it as written.
 */
export function staircase(z: {
  startRate: number;
  growth: number;
  steps: number;
  stepS: number;
  rampS: number;
  warmupS: number;
  warmupRate: number;
}): Arrival {
  const stages: Stage[] = [];
  for (let k = 0; k < z.steps; k++) {
    // Whole journeys/s: k6 then runs them with a 1 s timeUnit.
    const target = Math.round(z.startRate * z.growth ** k);
    stages.push({ durationS: z.rampS, target }, { durationS: z.stepS - z.rampS, target });
  }
  return {
    startRate: z.startRate,
    stages,
    maxJourneys: journeyCap(z.startRate, stages),
    warmupS: z.warmupS,
    warmupRate: z.warmupRate,
  };
}

/** Why the stages are not a staircase of (ramp, hold) pairs with rising rates; empty when they are. */
export function staircaseProblems(arrival: Arrival): string[] {
  const problems: string[] = [];
  const st = arrival.stages;
  if (st.length % 2 !== 0) problems.push(`arrival.stages: ${st.length} stages, a staircase has (ramp, hold) pairs`);
  let prev = -1;
  for (let i = 0; i + 1 < st.length; i += 2) {
    const ramp = st[i] as Stage;
    const hold = st[i + 1] as Stage;
    if (ramp.target !== hold.target)
      problems.push(`arrival.stages[${i + 1}]: a hold must keep the ramp's target ${ramp.target} (got ${hold.target})`);
    if (hold.target <= prev)
      problems.push(`arrival.stages[${i}]: step rates must rise (${hold.target} after ${prev} journeys/s)`);
    prev = hold.target;
  }
  return problems;
}

/** The steps of a staircase scenario, in order. */
export function stepsOf(s: Scenario): Step[] {
  const out: Step[] = [];
  const st = s.arrival.stages;
  for (let i = 0; i + 1 < st.length; i += 2) {
    const ramp = st[i] as Stage;
    const hold = st[i + 1] as Stage;
    const fromRate = i === 0 ? s.arrival.startRate : (st[i - 1] as Stage).target;
    out.push({ index: i / 2, rate: hold.target, fromRate, rampS: ramp.durationS, holdS: hold.durationS });
  }
  return out;
}

/**
 * The scenario one step runs as its measured phase: the same journeys and event, the step's ramp and hold as
 * the whole arrival profile. The warm-up is kept (the harness runs it once, before the first step).
 */
export function stepScenario(s: Scenario, step: Step): Scenario {
  const stages = [
    { durationS: step.rampS, target: step.rate },
    { durationS: step.holdS, target: step.rate },
  ];
  return {
    ...s,
    arrival: { ...s.arrival, startRate: step.fromRate, stages, maxJourneys: journeyCap(step.fromRate, stages) },
  };
}
