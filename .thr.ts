import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { prepareEvent, runDriver } from "./harness/driver/index.ts";
import { loadScenario } from "./scenarios/index.ts";
const child = spawn(process.execPath, ["--import", "tsx", "bench/driver-ceiling.ts", "--server"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise<string>((r) => child.stdout!.once("data", (d) => r(d.toString().trim())));
const s = structuredClone(loadScenario("flash-sale", "ci"));
s.event.sections = Array.from({ length: 200 }, (_, i) => ({ id: `S${i + 1}`, seats: 1000 }));
s.journey = { ...s.journey, thinkMs: 0, hotness: 0, browseOnly: 0, holdAttempts: 1, confirmRatio: 1 };
s.arrival = { ...s.arrival, startRate: 300, stages: [{ durationS: 8, target: 300 }], maxJourneys: 1e7 };
s.stopWhenSoldOut = false; s.tailS = 0;
await prepareEvent({ baseUrl: url, eventId: "p", scenario: s });
const threads = () => Object.fromEntries(readdirSync("/proc/self/task").map((t) => { const st = readFileSync(`/proc/self/task/${t}/stat`, "utf8"); const name = st.slice(st.indexOf("(") + 1, st.indexOf(")")); const f = st.split(") ")[1]!.split(" "); return [`${t}:${name}`, (Number(f[11]) + Number(f[12])) / 100]; }));
const a = threads();
const r = await runDriver({ scenario: s, baseUrl: url, eventId: "p", phase: "measure", pollSoldOut: false });
const b = threads();
for (const k of Object.keys(b)) { const d = b[k]! - (a[k] ?? 0); if (d > 0.01) console.log(k, d.toFixed(2)); }
console.log(r.requests.total, r.health.cpuS, (r.health.cpuS / r.requests.total) * 1e6, "us/req", r.health.p99LagMs);
child.kill();
