import { rampAndHold } from "./arrival.ts";
import { splitSeats } from "./layout.ts";
import type { ProfileName } from "./profiles.ts";
import type { Scenario } from "./types.ts";

// Most holds are released at once and the rest expire within a second, so the same seats stay contested.
const SIZES = {
  default: { seats: 5_000, rate: 300, durationS: 30, warmupS: 3, warmupRate: 30 },
  quick: { seats: 2_000, rate: 200, durationS: 8, warmupS: 2, warmupRate: 20 },
  ci: { seats: 1_000, rate: 100, durationS: 6, warmupS: 1, warmupRate: 20 },
} satisfies Record<ProfileName, unknown>;

/** Everyone wants the same 50 seats: skewed picks among them, no availability read, conflicts galore. */
export function hotSeats(profile: ProfileName): Scenario {
  const z = SIZES[profile];
  return {
    name: "hot-seats",
    description: `${z.rate} journeys/s for ${z.durationS} s, all aiming at the same 50 seats`,
    event: { sections: splitSeats(z.seats, z.seats / 1000), holdTtlMs: 1_000 },
    journey: {
      browseOnly: 0,
      readAvailability: false,
      holdAttempts: 3,
      confirmRatio: 0.1,
      releaseRatio: 0.9,
      hotness: 0.8,
      hotSeats: 50,
      thinkMs: 0,
    },
    arrival: rampAndHold(z),
    stopWhenSoldOut: false,
    tailS: 0,
    cluster: { nodes: 2, nodeCpu: null },
    faults: [],
    thresholds: ["errors<1%"],
  };
}
