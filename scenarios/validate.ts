import { LIMITS } from "../contract/limits.ts";
import { staircaseProblems } from "./staircase.ts";
import { capacity, Scenario, scheduleSeconds } from "./types.ts";

/** Every problem of a scenario at once (k6's `Validate() []error`); empty when it is valid. */
export type ValidationResult = { ok: true; scenario: Scenario; problems: [] } | { ok: false; problems: string[] };

/** Thrown by `loadScenario`/`withOverrides`: the message lists every problem, one per line. */
export class ScenarioError extends Error {
  readonly problems: string[];
  constructor(name: string, problems: string[]) {
    super(`scenario ${name} is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ScenarioError";
    this.problems = problems;
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");
}

/**
 * Checks the shape (zod `Scenario`) and then what the shape cannot say: the layout fits the API's limits, faults
 * fall inside the schedule and name nodes that exist at that time, hot seats exist, warm-up is coherent.
 */
export function validateScenario(input: unknown): ValidationResult {
  const parsed = Scenario.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${pathOf(i.path) || "(root)"}: ${i.message}`),
    };
  }
  const s = parsed.data;
  const problems = semanticProblems(s);
  return problems.length === 0 ? { ok: true, scenario: s, problems: [] } : { ok: false, problems };
}

function semanticProblems(s: Scenario): string[] {
  const problems: string[] = [];
  const seats = capacity(s);
  if (seats > LIMITS.maxSeatsPerEvent) {
    problems.push(`event.sections: ${seats} seats, the API allows at most ${LIMITS.maxSeatsPerEvent} per event`);
  }
  if (s.event.sections.length > LIMITS.maxSections) {
    problems.push(`event.sections: ${s.event.sections.length} sections, the API allows at most ${LIMITS.maxSections}`);
  }
  const seen = new Set<string>();
  s.event.sections.forEach((sec, i) => {
    if (seen.has(sec.id)) problems.push(`event.sections[${i}].id: duplicate section id "${sec.id}"`);
    seen.add(sec.id);
  });
  if (s.event.holdTtlMs < LIMITS.minHoldTtlMs || s.event.holdTtlMs > LIMITS.maxHoldTtlMs) {
    problems.push(
      `event.holdTtlMs: ${s.event.holdTtlMs} is outside the API's ${LIMITS.minHoldTtlMs}..${LIMITS.maxHoldTtlMs} ms`,
    );
  }
  if (s.journey.hotSeats !== undefined && s.journey.hotSeats > seats) {
    problems.push(`journey.hotSeats: ${s.journey.hotSeats} hot seats but the event has ${seats} seats`);
  }
  const peak = Math.max(s.arrival.startRate, ...s.arrival.stages.map((st) => st.target));
  if (peak <= 0) problems.push("arrival.stages: every target is 0, so no journey would ever start");
  if (s.arrival.warmupS > 0 && s.arrival.warmupRate <= 0) {
    problems.push(`arrival.warmupRate: 0 with warmupS ${s.arrival.warmupS} (set both or neither)`);
  }
  if (s.arrival.warmupS === 0 && s.arrival.warmupRate > 0) {
    problems.push(`arrival.warmupS: 0 with warmupRate ${s.arrival.warmupRate} (set both or neither)`);
  }
  if (!s.stopWhenSoldOut && s.tailS > 0) {
    problems.push(`tailS: ${s.tailS} s of tail has no effect unless stopWhenSoldOut is true`);
  }
  problems.push(...faultProblems(s));
  if (s.search) {
    problems.push(...staircaseProblems(s.arrival).map((p) => `${p} (search needs a staircase)`));
    if (s.faults.length > 0) problems.push("faults: a capacity search changes only the rate; it takes no faults");
    if (s.stopWhenSoldOut) problems.push("stopWhenSoldOut: a capacity search must not end at a sell-out");
  }
  return problems;
}

// Replays the fault timeline against the node count, so a fault naming a node that is gone is caught up front.
function faultProblems(s: Scenario): string[] {
  const problems: string[] = [];
  const total = scheduleSeconds(s);
  let nodes = s.cluster.nodes;
  const ordered = s.faults.map((f, i) => ({ f, i })).sort((a, b) => a.f.atS - b.f.atS);
  for (const { f, i } of ordered) {
    const where = `faults[${i}] (${f.action} at ${f.atS} s)`;
    if (f.atS >= total) problems.push(`${where}: after the schedule ends at ${total} s, it would never happen`);
    if (f.action === "add-nodes") {
      nodes += f.count;
      if (nodes > 16) problems.push(`${where}: ${nodes} nodes, at most 16`);
      continue;
    }
    if (f.node >= nodes) problems.push(`${where}: node ${f.node} does not exist (${nodes} nodes at that time)`);
    if (f.action === "kill-node") {
      if (nodes <= 1) problems.push(`${where}: would kill the last node`);
      nodes -= 1;
    }
    if (f.action === "pause-node" && f.atS + f.forS > total) {
      problems.push(`${where}: the pause of ${f.forS} s outlasts the schedule (${total} s)`);
    }
  }
  return problems;
}

/** Validates or throws a `ScenarioError` listing every problem. */
export function assertValid(input: unknown, name = "(unnamed)"): Scenario {
  const r = validateScenario(input);
  if (!r.ok) throw new ScenarioError(name, r.problems);
  return r.scenario;
}
