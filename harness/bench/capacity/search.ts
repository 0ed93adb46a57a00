import { type Scenario, stepScenario, stepsOf } from "../../../scenarios/index.ts";
import { requestsPerJourney } from "../../../scenarios/k6/options.js";
import type { DriverOptions, DriverResult } from "../../driver/types.ts";
import type { CapacityResult, CapacityStep } from "../../results/types.ts";
import type { ThresholdSubject } from "../thresholds.ts";
import { mergeDriverResults } from "./merge.ts";
import type { SearchSlo } from "./slo.ts";
import { judgeStep, stepSubject } from "./step.ts";

export interface SearchOptions {
  /** A scenario with `search` and a staircase arrival (scenarios/capacity.ts). */
  scenario: Scenario;
  slo: SearchSlo;
  /** Runs one measured phase: the embedded driver or k6, exactly as for any other scenario. */
  drive: (o: DriverOptions) => Promise<DriverResult>;
  /** What every step's driver call shares: target, event, seed, callbacks. `onStart` fires once, for the first step. */
  base: Omit<DriverOptions, "scenario" | "phase">;
  log: (message: string) => void;
}

export interface SearchResult {
  /** Every step run, merged into one window (what the summary, the time series and histograms.json show). */
  driver: DriverResult;
  capacity: CapacityResult;
  /** The last step that held (the first step when none did): what thresholds on the capacity are judged on. */
  capacityStep: ThresholdSubject;
}

const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;

/**
 * A breakpoint search: runs the staircase one step at a time, each step a driver call of its own on the same
 * event, and stops at the first step that breaks the SLO (or where the driver fell behind, which makes the step
 * unjudgeable). Stopping early keeps an overloaded app's search short; a step is never retried or tuned.
 */
export async function runCapacitySearch(o: SearchOptions): Promise<SearchResult> {
  const steps = stepsOf(o.scenario);
  // Journeys of a step that held finish within a few SLO latencies; the step that broke is cut off sooner than
  // the driver's default (timeout + 2 s): its verdict is already known.
  const graceMs = Math.round(
    requestsPerJourney(o.scenario.journey) * ((o.slo.p99Ms ?? 1000) + o.scenario.journey.thinkMs) * 2 + 1000,
  );
  const runs: DriverResult[] = [];
  const judged: CapacityStep[] = [];
  const subjects: ThresholdSubject[] = [];
  let originMs: number | null = null;
  let endedBy: CapacityResult["endedBy"] = "top-step";
  for (const step of steps) {
    if (o.base.signal?.aborted) break;
    let offsetS = 0;
    const r = await o.drive({
      ...o.base,
      scenario: stepScenario(o.scenario, step),
      phase: "measure",
      graceMs,
      ...(originMs === null ? {} : { ackOriginMs: originMs }),
      onStart: (ms) => {
        if (originMs === null) {
          originMs = ms;
          o.base.onStart?.(ms);
        }
        offsetS = Math.round((ms - originMs) / 1000);
      },
      onSecond: o.base.onSecond ? (s) => o.base.onSecond?.({ ...s, t: s.t + offsetS }) : undefined,
    });
    const j = judgeStep(r, step, o.slo.perStep);
    runs.push(r);
    judged.push(j);
    subjects.push(stepSubject(r));
    o.log(
      `step ${step.index + 1}/${steps.length} at ${step.rate} journeys/s: p99 ${j.p99Ms} ms, ` +
        `errors ${pct(j.errorRate)} (shed ${pct(j.shedRate)}), goodput ${j.goodputPerS} answers/s: ` +
        (j.held ? "held" : `broke: ${j.broken.join("; ")}`),
    );
    if (!j.keptSchedule) {
      endedBy = "driver";
      break;
    }
    if (!j.held) {
      endedBy = "slo";
      break;
    }
  }
  if (runs.length === 0) throw new Error("capacity search: aborted before its first step");
  const lastHeld = judged.findLastIndex((s) => s.held);
  const held = lastHeld >= 0 ? judged[lastHeld] : undefined;
  return {
    driver: driverBound(mergeDriverResults(runs), runs, endedBy === "driver" ? held : undefined),
    capacity: {
      // The rate the step held (its offered load); what it served is in its bookings/s and goodput.
      journeysPerS: held?.offeredJourneysPerS ?? 0,
      bookingsPerS: held?.bookingsPerS ?? 0,
      slo: { p99Ms: o.slo.p99Ms, errorRate: o.slo.errorRate, thresholds: o.slo.perStep.map((t) => t.expr) },
      endedBy,
      steps: judged,
    },
    capacityStep: subjects[Math.max(0, lastHeld)] as ThresholdSubject,
  };
}

/**
 * A search the driver ended, after a step held, measured what it claims: every step it judged kept its
 * schedule, and the step the driver fell behind on was left unjudged. Its capacity is then a lower bound set by
 * the load generator, not a disturbed run: the merged health keeps the judged steps' verdict and says so (the
 * lag itself stays in the latencies and in `p99LagMs`). With no step held the run stays untrustworthy.
 */
function driverBound(merged: DriverResult, runs: DriverResult[], held: CapacityStep | undefined): DriverResult {
  // The search stops at the first step the driver fell behind on, so every step before it kept its schedule.
  if (!held) return merged;
  const last = runs.at(-1);
  const note =
    `the driver fell behind at the step after ${held.offeredJourneysPerS} journeys/s ` +
    `(${(last?.health.problems ?? []).join("; ") || "late sends"}): the search stopped there, so the capacity ` +
    "found is a lower bound set by the load generator on this machine, not the app's limit";
  return {
    ...merged,
    health: { ...merged.health, keptSchedule: true, problems: [] },
    warnings: [...merged.warnings, `capacity search: ${note}`],
  };
}
