import { loadScenario, withOverrides } from "./scenarios/index.ts";
import { prepareEvent, runDriver } from "./harness/driver/index.ts";
import { startStubServer } from "./harness/driver/stub-server.ts";
const srv = await startStubServer({ record: true });
const s = withOverrides(loadScenario("flash-sale", "ci"), { rate: 300, durationS: 30 });
await prepareEvent({ baseUrl: srv.url, eventId: "fs", scenario: s });
const r = await runDriver({ scenario: s, baseUrl: srv.url, eventId: "fs", phase: "measure", seed: 3, onSecond: async (x) => { const res = await fetch(srv.url + "/events/fs"); console.log(x.t, x.requests, x.bookings, x.latencyP99, JSON.stringify(await res.json())); } });
console.log(r.window, r.sellOutS, r.bookings, r.journeys.outcomes, r.latency, r.warnings);
await srv.close();
