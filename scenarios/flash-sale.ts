import { journeyCap } from "./arrival.ts";
import { splitSeats } from "./layout.ts";
import type { ProfileName } from "./profiles.ts";
import type { Scenario } from "./types.ts";

// Sized so the sale sells out inside the schedule: at peak rate r, at most 0.85 r bookings/s.
const SIZES = {
  default: {
    seats: 30_000,
    sections: 30,
    peak: 600,
    rampS: 3,
    holdS: 67,
    tailS: 5,
    warmupS: 5,
    warmupRate: 50,
    ttl: 5_000,
  },
  quick: {
    seats: 2_000,
    sections: 8,
    peak: 300,
    rampS: 1,
    holdS: 11,
    tailS: 2,
    warmupS: 2,
    warmupRate: 30,
    ttl: 3_000,
  },
  ci: { seats: 600, sections: 3, peak: 120, rampS: 1, holdS: 9, tailS: 2, warmupS: 1, warmupRate: 20, ttl: 2_000 },
} satisfies Record<ProfileName, unknown>;

/**
 * A ticket flash sale: arrivals spike from 0 to peak in seconds and stay there until the event sells out, then a
 * short tail of late arrivals meets the sold-out event. Users read a section's availability, hold a seat (the
 * front rows are hot), try another seat on 409, confirm most holds and abandon some, whose seats come back
 * after a short TTL.
 */
export function flashSale(profile: ProfileName): Scenario {
  const z = SIZES[profile];
  const stages = [
    { durationS: z.rampS, target: z.peak },
    { durationS: z.holdS, target: z.peak },
  ];
  return {
    name: "flash-sale",
    description: `${z.seats.toLocaleString("en")} seats; 0 to ${z.peak} journeys/s in ${z.rampS} s until sold out, then a ${z.tailS} s tail`,
    event: { sections: splitSeats(z.seats, z.sections), holdTtlMs: z.ttl },
    journey: {
      browseOnly: 0,
      readAvailability: true,
      holdAttempts: 4,
      confirmRatio: 0.85,
      releaseRatio: 0.5,
      hotness: 1.1,
      thinkMs: 100,
    },
    arrival: {
      startRate: 0,
      stages,
      maxJourneys: journeyCap(0, stages),
      warmupS: z.warmupS,
      warmupRate: z.warmupRate,
    },
    stopWhenSoldOut: true,
    tailS: z.tailS,
    cluster: { nodes: 2, nodeCpu: null },
    faults: [],
    thresholds: ["errors<1%"],
  };
}
