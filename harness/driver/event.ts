import type { Scenario } from "../../scenarios/types.ts";
import { checkTarget, createHttpClient } from "./http.ts";

/**
 * Creates the scenario's event (`PUT /events/{eventId}`) and returns the status (201 created, 200 already
 * there with the same layout); throws on anything else, with the app's answer.
 */
export async function prepareEvent(opts: {
  baseUrl: string;
  eventId: string;
  scenario: Scenario;
  timeoutMs?: number;
  allowRemote?: boolean;
}): Promise<number> {
  const http = createHttpClient(checkTarget(opts.baseUrl, opts.allowRemote), {
    maxConnections: 1,
    timeoutMs: opts.timeoutMs ?? 60_000,
  });
  try {
    const a = await http.send({
      method: "PUT",
      path: `/events/${encodeURIComponent(opts.eventId)}`,
      body: JSON.stringify({ sections: opts.scenario.event.sections, holdTtlMs: opts.scenario.event.holdTtlMs }),
    });
    if (a.status !== 201 && a.status !== 200) {
      throw new Error(`PUT /events/${opts.eventId}: ${a.status || a.code} ${a.text}`);
    }
    return a.status;
  } finally {
    await http.close();
  }
}
