import { rampAndHold } from "./arrival.ts";
import { splitSeats } from "./layout.ts";
import type { ProfileName } from "./profiles.ts";
import type { Scenario } from "./types.ts";

const SIZES = {
  default: { seats: 30_000, rate: 800, durationS: 40, warmupS: 5, warmupRate: 50 },
  quick: { seats: 5_000, rate: 400, durationS: 10, warmupS: 2, warmupRate: 30 },
  ci: { seats: 2_000, rate: 150, durationS: 6, warmupS: 1, warmupRate: 20 },
} satisfies Record<ProfileName, unknown>;

/** Mostly reads: 90% of users look at the summary and a section and leave; the rest buy without a rush. */
export function browseHeavy(profile: ProfileName): Scenario {
  const z = SIZES[profile];
  return {
    name: "browse-heavy",
    description: `${z.rate} journeys/s for ${z.durationS} s, 90% browsing only`,
    event: { sections: splitSeats(z.seats, z.seats / 1000), holdTtlMs: 30_000 },
    journey: {
      browseOnly: 0.9,
      readAvailability: true,
      holdAttempts: 3,
      confirmRatio: 0.9,
      releaseRatio: 0.5,
      hotness: 0.6,
      thinkMs: 200,
    },
    arrival: rampAndHold(z, 2),
    stopWhenSoldOut: false,
    tailS: 0,
    cluster: { nodes: 3, nodeCpu: null },
    faults: [],
    thresholds: ["errors<1%"],
  };
}
