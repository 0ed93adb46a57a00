import { rampAndHold } from "./arrival.ts";
import { STEADY_BUYERS } from "./journeys.ts";
import { splitSeats } from "./layout.ts";
import type { ProfileName } from "./profiles.ts";
import type { Scenario } from "./types.ts";

// The event is large enough never to sell out at this rate, so the kill is the only disturbance.
const SIZES = {
  default: { seats: 60_000, rate: 400, durationS: 60, killAtS: 20, warmupS: 5, warmupRate: 50 },
  quick: { seats: 10_000, rate: 200, durationS: 10, killAtS: 4, warmupS: 2, warmupRate: 30 },
  ci: { seats: 3_000, rate: 100, durationS: 8, killAtS: 3, warmupS: 1, warmupRate: 20 },
} satisfies Record<ProfileName, unknown>;

/** A steady rate on 3 nodes; one node is SIGKILLed mid-run and the load keeps going. */
export function nodeKill(profile: ProfileName): Scenario {
  const z = SIZES[profile];
  return {
    name: "node-kill",
    description: `${z.rate} journeys/s on 3 nodes for ${z.durationS} s; SIGKILL node 1 at ${z.killAtS} s`,
    event: { sections: splitSeats(z.seats, z.seats / 1000), holdTtlMs: 10_000 },
    journey: STEADY_BUYERS,
    arrival: rampAndHold(z),
    stopWhenSoldOut: false,
    tailS: 0,
    cluster: { nodes: 3, nodeCpu: null },
    faults: [{ atS: z.killAtS, action: "kill-node", node: 1 }],
    thresholds: [],
  };
}
