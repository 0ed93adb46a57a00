import type { Scenario } from "./types.ts";
import { ScenarioError, validateScenario } from "./validate.ts";

/**
 * The scenario as JSON, for the k6 script (`JSON.parse(open("scenario.json"))`) and the results folder.
 * Plain data only: the k6 script derives its `ramping-arrival-rate` options from `arrival` itself.
 */
export function scenarioToJson(s: Scenario): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

/** Parses and validates scenario JSON; throws a `ScenarioError` listing every problem. */
export function scenarioFromJson(text: string): Scenario {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError("(json)", [`not JSON: ${err instanceof Error ? err.message : String(err)}`]);
  }
  const r = validateScenario(data);
  if (!r.ok) {
    const name = typeof (data as { name?: unknown })?.name === "string" ? (data as { name: string }).name : "(json)";
    throw new ScenarioError(name, r.problems);
  }
  return r.scenario;
}
