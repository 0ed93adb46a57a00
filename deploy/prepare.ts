/**
 * Compose's one-shot before k6: waits for the app behind HAProxy, creates the scenario's events (the measured one
 * and `<EVENT_ID>-warmup`, as the harness does: warm-up traffic never takes the measured event's seats) and
 * writes the scenario JSON the k6 service reads. Environment: BASE_URL, SCENARIO (default flash-sale), PROFILE
 * (default|quick|ci), RATE / DURATION / SEATS (the CLI's overrides), EVENT_ID, OUT_DIR, WAIT_S (seconds to wait for the app, default 120).
 *
 *   node --import tsx deploy/prepare.ts
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { loadScenario, type ScenarioOverrides, scenarioToJson, withOverrides } from "../scenarios/index.ts";

const env = process.env;
const baseUrl = (env.BASE_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
const eventId = env.EVENT_ID ?? "compose-1";
const outDir = env.OUT_DIR ?? "results/compose";

const overrides: ScenarioOverrides = {};
if (env.RATE) overrides.rate = Number(env.RATE);
if (env.DURATION) overrides.durationS = Number(env.DURATION);
if (env.SEATS) overrides.seats = Number(env.SEATS);
const scenario = withOverrides(loadScenario(env.SCENARIO ?? "flash-sale", env.PROFILE ?? "default"), overrides);

// The app (all replicas behind HAProxy) may still be migrating: wait up to WAIT_S (default 120) seconds for /health.
const waitS = Number(env.WAIT_S ?? 120);
const deadline = Date.now() + waitS * 1000;
for (;;) {
  const ok = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.status === 200,
    () => false,
  );
  if (ok) break;
  if (Date.now() > deadline) throw new Error(`${baseUrl}/health did not answer 200 within ${waitS} s`);
  await sleep(1_000);
}

for (const id of [eventId, `${eventId}-warmup`]) {
  const res = await fetch(`${baseUrl}/events/${encodeURIComponent(id)}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sections: scenario.event.sections, holdTtlMs: scenario.event.holdTtlMs }),
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`PUT /events/${id}: ${res.status} ${await res.text()}`);
  console.log(`prepare: event ${id} ${res.status === 201 ? "created" : "already there"} (${scenario.name})`);
}

await mkdir(outDir, { recursive: true });
// The k6 image runs as an unprivileged user: let it write its results beside the scenario.
await chmod(outDir, 0o777);
await writeFile(join(outDir, "scenario.json"), scenarioToJson(scenario));
console.log(`prepare: wrote ${join(outDir, "scenario.json")}`);
