/**
 * Scenarios: typed, validated data, identical for both apps and for the embedded driver and the k6 script.
 *
 *   loadScenario("flash-sale", "quick")          -> Scenario (validated; throws ScenarioError listing problems)
 *   withOverrides(s, { rate, durationS, seats, nodes, nodeCpu })   (the CLI's --rate --duration --seats ...)
 *   scenarioToJson(s)                            -> what the k6 script reads with open()
 *
 * The user journey itself (seat choice, retries, confirm/abandon) is `journey-logic.js`, shared with k6.
 */
import { browseHeavy } from "./browse-heavy.ts";
import { capacityScenario } from "./capacity.ts";
import { flashSale } from "./flash-sale.ts";
import { hotSeats } from "./hot-seats.ts";
import { nodeKill } from "./node-kill.ts";
import { isProfileName, PROFILES, type ProfileName } from "./profiles.ts";
import { scaleOut } from "./scale-out.ts";
import type { Scenario } from "./types.ts";
import { ScenarioError, validateScenario } from "./validate.ts";

export { journeyCap, peakRate, scheduledArrivals } from "./arrival.ts";
export { DEFAULT_SLO } from "./capacity.ts";
export { scenarioFromJson, scenarioToJson } from "./json.ts";
export { splitSeats } from "./layout.ts";
export { type ScenarioOverrides, withOverrides } from "./overrides.ts";
export { BENCH_SCENARIOS, isProfileName, PROFILES, type ProfileName } from "./profiles.ts";
export { type Step, stepScenario, stepsOf } from "./staircase.ts";
export { capacity, type Fault, type Journey, Scenario, Slo, scheduleSeconds } from "./types.ts";
export { assertValid, ScenarioError, type ValidationResult, validateScenario } from "./validate.ts";

/** Every scenario by name: a function of the profile that sizes it. */
export const SCENARIOS: Readonly<Record<string, (profile: ProfileName) => Scenario>> = {
  "flash-sale": flashSale,
  "node-kill": nodeKill,
  "scale-out": scaleOut,
  "browse-heavy": browseHeavy,
  "hot-seats": hotSeats,
  capacity: capacityScenario,
};

export function scenarioNames(): string[] {
  return Object.keys(SCENARIOS);
}

/** The named scenario sized for a profile, validated; throws a `ScenarioError` naming the known ones. */
export function loadScenario(name: string, profile: ProfileName | string = "default"): Scenario {
  const problems: string[] = [];
  const build = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
  if (!build) problems.push(`unknown scenario "${name}"; known: ${scenarioNames().join(", ")}`);
  if (!isProfileName(profile)) problems.push(`unknown profile "${profile}"; known: ${PROFILES.join(", ")}`);
  if (!build || !isProfileName(profile)) throw new ScenarioError(name, problems);
  const r = validateScenario(build(profile));
  if (!r.ok) throw new ScenarioError(name, r.problems);
  return r.scenario;
}
