import { z } from "zod";
import { ID_PATTERN } from "../contract/ids.ts";

/**
 * A scenario is data (as k6's `options.scenarios`): the event layout, the user journey, the arrival profile,
 * the cluster and a fault timeline. The embedded driver and the k6 script read the same object.
 */
const Stage = z.object({
  /** Seconds this stage lasts. */
  durationS: z.number().positive(),
  /** Journeys per second reached (linearly) at the end of the stage, as k6's ramping-arrival-rate `target`. */
  target: z.number().nonnegative(),
});

export const Fault = z.discriminatedUnion("action", [
  /** SIGKILL one app node (index into the node list at that time). */
  z.object({ atS: z.number().nonnegative(), action: z.literal("kill-node"), node: z.number().int().nonnegative() }),
  /** Start `count` more app nodes and add them to the load balancer. */
  z.object({ atS: z.number().nonnegative(), action: z.literal("add-nodes"), count: z.number().int().positive() }),
  /** SIGSTOP a node for `forS` seconds, then SIGCONT (a process pause, as a long GC or a frozen VM). */
  z.object({
    atS: z.number().nonnegative(),
    action: z.literal("pause-node"),
    node: z.number().int().nonnegative(),
    forS: z.number().positive(),
  }),
]);
export type Fault = z.infer<typeof Fault>;

export const Journey = z.object({
  /** Share of journeys that only browse (summary + seat list) and never hold. */
  browseOnly: z.number().min(0).max(1),
  /** Read the section's available seats before trying to hold. */
  readAvailability: z.boolean(),
  /** Hold attempts per journey: on 409 the user tries another seat, up to this many times. */
  holdAttempts: z.number().int().min(1).max(20),
  /** Share of successful holds that are confirmed; the rest are abandoned (left to expire, or released). */
  confirmRatio: z.number().min(0).max(1),
  /** Share of abandoned holds released with DELETE; the others expire by TTL. */
  releaseRatio: z.number().min(0).max(1),
  /** Seat preference skew: Zipf exponent over seats ordered best-first (0 = uniform, 1.2 = hot front rows). */
  hotness: z.number().min(0).max(5),
  /** If set, every user aims at the first `hotSeats` seats only (the hot-seats scenario). */
  hotSeats: z.number().int().positive().optional(),
  /** Think time between steps in ms (0 = none). */
  thinkMs: z.number().int().min(0).max(60_000),
});
export type Journey = z.infer<typeof Journey>;

/** The service level a capacity search holds each step to (`--threshold` overrides it). */
export const Slo = z.object({ p99Ms: z.number().positive(), errorRate: z.number().min(0).max(1) }).strict();
export type Slo = z.infer<typeof Slo>;

const Search = z.object({ slo: Slo }).strict();

export const Scenario = z
  .object({
    name: z.string().regex(/^[a-z0-9-]+$/),
    description: z.string(),
    event: z.object({
      sections: z.array(z.object({ id: z.string().regex(ID_PATTERN), seats: z.number().int().positive() })).min(1),
      holdTtlMs: z.number().int().positive(),
    }),
    journey: Journey,
    arrival: z.object({
      /** Journeys per second at t = 0. */
      startRate: z.number().nonnegative(),
      stages: z.array(Stage).min(1),
      /** Hard cap on journeys started (the load loop is bounded in count as well as in time). */
      maxJourneys: z.number().int().positive(),
      /** Seconds of warm-up traffic at `warmupRate` before the measured window (excluded from results). */
      warmupS: z.number().min(0),
      warmupRate: z.number().min(0),
    }),
    /** Stop the measured window early when the event is sold out, then keep `tailS` seconds of traffic. */
    stopWhenSoldOut: z.boolean(),
    tailS: z.number().min(0),
    cluster: z.object({
      nodes: z.number().int().min(1).max(16),
      /** CPU quota per app node in cores (e.g. 0.5); null = no quota. */
      nodeCpu: z.number().positive().nullable(),
    }),
    faults: z.array(Fault),
    /** k6-style thresholds, e.g. "p99<250", "errors<1%". */
    thresholds: z.array(z.string()),
    /**
     * A breakpoint search (the capacity scenario): `arrival.stages` is a staircase of (ramp, hold) pairs, which
     * k6 runs as written; the harness runs one step at a time and stops at the first step that breaks the SLO.
     */
    search: Search.optional(),
  })
  .strict();
export type Scenario = z.infer<typeof Scenario>;

/** Total seconds of the measured arrival schedule. */
export function scheduleSeconds(s: Scenario): number {
  return s.arrival.stages.reduce((sum, st) => sum + st.durationS, 0);
}

/** Total seats of a scenario's event. */
export function capacity(s: Scenario): number {
  return s.event.sections.reduce((sum, sec) => sum + sec.seats, 0);
}
