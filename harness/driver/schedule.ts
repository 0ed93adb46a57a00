import type { Scenario } from "../../scenarios/types.ts";

type Stage = Scenario["arrival"]["stages"][number];

/** The arrival profile one phase runs. */
export interface ArrivalPlan {
  startRate: number;
  stages: Stage[];
  maxJourneys: number;
}

/** The warm-up or measured arrival profile of a scenario, optionally rescaled to a peak rate. */
export function phasePlan(s: Scenario, phase: "warmup" | "measure", rateOverride?: number): ArrivalPlan {
  const plan: ArrivalPlan =
    phase === "warmup"
      ? {
          startRate: s.arrival.warmupRate,
          stages: s.arrival.warmupS > 0 ? [{ durationS: s.arrival.warmupS, target: s.arrival.warmupRate }] : [],
          maxJourneys: s.arrival.maxJourneys,
        }
      : { startRate: s.arrival.startRate, stages: [...s.arrival.stages], maxJourneys: s.arrival.maxJourneys };
  if (rateOverride === undefined) return plan;
  const peak = Math.max(plan.startRate, ...plan.stages.map((st) => st.target));
  const k = peak > 0 ? rateOverride / peak : 0;
  return {
    startRate: plan.startRate * k,
    stages: plan.stages.map((st) => ({ ...st, target: st.target * k })),
    maxJourneys: plan.maxJourneys,
  };
}

export function planSeconds(plan: ArrivalPlan): number {
  return plan.stages.reduce((sum, st) => sum + st.durationS, 0);
}

/**
 * Intended start times (ms from the window start) of every arrival, as k6's ramping-arrival-rate: the rate
 * ramps linearly to each stage's target, and arrival i is due when the area under the rate curve reaches i.
 * Lazy, so a long schedule costs nothing up front.
 */
export function* arrivalTimes(plan: Pick<ArrivalPlan, "startRate" | "stages">): Generator<number, void, void> {
  let from = plan.startRate;
  let stageStartS = 0;
  let areaBefore = 0;
  let i = 0;
  for (const st of plan.stages) {
    const r0 = from;
    const r1 = st.target;
    const a = (r1 - r0) / (2 * st.durationS);
    const area = ((r0 + r1) / 2) * st.durationS;
    for (;;) {
      const x = i - areaBefore;
      if (x >= area) break;
      // t solves r0 t + a t^2 = x; this form stays exact when a is 0 or tiny and when r0 is 0.
      const disc = r0 * r0 + 4 * a * x;
      const den = r0 + Math.sqrt(Math.max(0, disc));
      const t = x === 0 ? 0 : den > 0 ? (2 * x) / den : st.durationS;
      yield (stageStartS + Math.min(t, st.durationS)) * 1000;
      i++;
    }
    areaBefore += area;
    stageStartS += st.durationS;
    from = r1;
  }
}
