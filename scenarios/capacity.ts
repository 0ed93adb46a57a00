import { STEADY_BUYERS } from "./journeys.ts";
import { splitSeats } from "./layout.ts";
import type { ProfileName } from "./profiles.ts";
import { staircase } from "./staircase.ts";
import type { Scenario } from "./types.ts";

// +25% a step from a rate both apps hold with ease; the search stops at the first step that breaks the SLO, so
// the step count only bounds it. The last default step, ~6,900 journeys/s, is past what 2 cores can serve: with
// 14 steps (~1,800 journeys/s) both apps held every step on a quiet 2-core machine and no knee was found.
// Seats outnumber what the whole staircase can book, so the sale never sells out and only the rate changes.
const SIZES = {
  default: { seats: 150_000, startRate: 100, steps: 20, stepS: 3, rampS: 0.5, warmupS: 3, warmupRate: 50 },
  quick: { seats: 20_000, startRate: 100, steps: 16, stepS: 1.5, rampS: 0.5, warmupS: 2, warmupRate: 30 },
  ci: { seats: 6_000, startRate: 50, steps: 8, stepS: 1.5, rampS: 0.5, warmupS: 1, warmupRate: 20 },
} satisfies Record<ProfileName, unknown>;

const GROWTH = 1.25;

/** The SLO of the search: every step's p99 within 250 ms and at most 1% errors (shed requests included). */
export const DEFAULT_SLO = { p99Ms: 250, errorRate: 0.01 } as const;

/**
 * A breakpoint test: the steady buyer mix at a rising arrival rate, +25% every few seconds, until a step breaks
 * the SLO. The capacity is the last step that held: its journeys/s and bookings/s.
 */
export function capacityScenario(profile: ProfileName): Scenario {
  const z = SIZES[profile];
  const top = Math.round(z.startRate * GROWTH ** (z.steps - 1));
  return {
    name: "capacity",
    description: `${z.startRate} to ${top} journeys/s, +25% every ${z.stepS} s, until p99 > ${DEFAULT_SLO.p99Ms} ms or errors > 1%`,
    event: { sections: splitSeats(z.seats, z.seats / 1000), holdTtlMs: 10_000 },
    journey: STEADY_BUYERS,
    arrival: staircase({ ...z, growth: GROWTH }),
    stopWhenSoldOut: false,
    tailS: 0,
    cluster: { nodes: 2, nodeCpu: null },
    faults: [],
    // The SLO is the search's, judged per step; a whole-run threshold would always see the step that broke.
    thresholds: [],
    search: { slo: { ...DEFAULT_SLO } },
  };
}
