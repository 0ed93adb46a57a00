import type { Scenario } from "./types.ts";

type Arrival = Scenario["arrival"];
type Stage = Arrival["stages"][number];

/**
 * Journeys the arrival profile schedules: the area under the rate curve, which ramps linearly from the previous
 * target to each stage's target (k6 `ramping-arrival-rate`).
 */
export function scheduledArrivals(startRate: number, stages: readonly Stage[]): number {
  let from = startRate;
  let total = 0;
  for (const st of stages) {
    total += ((from + st.target) / 2) * st.durationS;
    from = st.target;
  }
  return Math.ceil(total);
}

/** The highest rate the profile reaches. */
export function peakRate(arrival: Pick<Arrival, "startRate" | "stages">): number {
  return Math.max(arrival.startRate, ...arrival.stages.map((s) => s.target));
}

/** The hard journey cap a scenario declares: the scheduled count plus 10% and 100, so it bounds, never trims. */
export function journeyCap(startRate: number, stages: readonly Stage[]): number {
  return Math.ceil(scheduledArrivals(startRate, stages) * 1.1) + 100;
}

/**
 * The common arrival profile: ramp from 0 to `rate` in `rampS`, hold it until `durationS`, with a warm-up before
 * the measured window. The journey cap bounds the loop in count.
 */
export function rampAndHold(
  z: { rate: number; durationS: number; warmupS: number; warmupRate: number },
  rampS = 1,
): Arrival {
  const stages = [
    { durationS: rampS, target: z.rate },
    { durationS: z.durationS - rampS, target: z.rate },
  ];
  return { startRate: 0, stages, maxJourneys: journeyCap(0, stages), warmupS: z.warmupS, warmupRate: z.warmupRate };
}
