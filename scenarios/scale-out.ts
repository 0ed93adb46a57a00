import { rampAndHold } from "./arrival.ts";
import { STEADY_BUYERS } from "./journeys.ts";
import { splitSeats } from "./layout.ts";
import type { ProfileName } from "./profiles.ts";
import type { Scenario } from "./types.ts";

// Two half-core nodes cannot serve this rate; four can serve more of it (up to what 2 shared cores allow).
const SIZES = {
  default: { seats: 60_000, rate: 500, durationS: 60, addAtS: 20, warmupS: 5, warmupRate: 50 },
  quick: { seats: 10_000, rate: 300, durationS: 10, addAtS: 4, warmupS: 2, warmupRate: 30 },
  ci: { seats: 3_000, rate: 150, durationS: 8, addAtS: 3, warmupS: 1, warmupRate: 20 },
} satisfies Record<ProfileName, unknown>;

/** 2 nodes with a CPU quota under a rate beyond their capacity; 2 more nodes join mid-run. */
export function scaleOut(profile: ProfileName): Scenario {
  const z = SIZES[profile];
  return {
    name: "scale-out",
    description: `${z.rate} journeys/s on 2 nodes of 0.5 core; 2 more nodes join at ${z.addAtS} s`,
    event: { sections: splitSeats(z.seats, z.seats / 1000), holdTtlMs: 10_000 },
    journey: STEADY_BUYERS,
    arrival: rampAndHold(z),
    stopWhenSoldOut: false,
    tailS: 0,
    cluster: { nodes: 2, nodeCpu: 0.5 },
    faults: [{ atS: z.addAtS, action: "add-nodes", count: 2 }],
    thresholds: [],
  };
}
