// k6's memory and start-up time per VU with statebench's own script (scenarios/k6/script.js), to size maxVUs:
// k6 must be able to hold as many journeys in flight as the embedded driver (LIMITS in harness/driver/limits.ts).
//   K6_BIN=../shared/k6/k6 node --import tsx bench/k6-vus.ts [--vus 100,1000,2000]
// Each count runs k6 once with every VU pre-allocated (preAllocatedVUs = maxVUs = N) and a trickle of load
// (2 journeys/s for 2 s against the stub server), sampling k6's RSS every 100 ms. MB per VU is the slope between
// the smallest and the largest count, so k6's fixed cost drops out.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareEvent } from "../harness/driver/index.ts";
import { startStubServer } from "../harness/driver/stub-server.ts";
import { findK6, K6_SCRIPT } from "../harness/k6/index.ts";
import { loadScenario, scenarioToJson } from "../scenarios/index.ts";

const args = process.argv.slice(2);
const vusArg = args[args.indexOf("--vus") + 1];
const counts = (args.includes("--vus") && vusArg ? vusArg : "100,1000,2000").split(",").map(Number);
if (counts.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--vus: expected positive integers`);

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function measure(vus: number, bin: string, baseUrl: string, dir: string) {
  const scenario = loadScenario("flash-sale", "quick");
  scenario.arrival.startRate = 2;
  scenario.arrival.stages = [{ durationS: 2, target: 2 }];
  const eventId = `vus-${vus}`;
  await prepareEvent({ baseUrl, eventId, scenario });
  const file = join(dir, `${eventId}.json`);
  writeFileSync(file, scenarioToJson(scenario));
  const t0 = performance.now();
  const child = spawn(bin, ["run", "--no-color", "--no-summary", K6_SCRIPT], {
    env: {
      ...process.env,
      K6_NO_USAGE_REPORT: "true",
      SCENARIO_FILE: file,
      BASE_URL: baseUrl,
      EVENT_ID: eventId,
      PHASE: "measure",
      STATEBENCH_MAX_VUS: String(vus),
      STATEBENCH_PREALLOCATED_VUS: String(vus),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let peak = 0;
  let readyMs: number | null = null;
  child.stdout.on("data", (d: Buffer) => {
    // k6 prints "running (" once every VU is initialised and the test has started.
    if (readyMs === null && d.toString().includes("running (")) readyMs = performance.now() - t0;
  });
  child.stderr.resume();
  const timer = setInterval(() => {
    if (child.pid) peak = Math.max(peak, rssMb(child.pid));
  }, 100);
  // Bounded: a VU count that does not start within 5 minutes is not worth waiting for.
  const kill = setTimeout(() => child.kill("SIGKILL"), 300_000);
  const code = await new Promise<number | null>((r) => child.on("close", r));
  clearInterval(timer);
  clearTimeout(kill);
  return { vus, code, peakRssMb: Math.round(peak), initS: readyMs === null ? null : Math.round(readyMs) / 1000 };
}

const bin = findK6();
const server = await startStubServer();
const dir = mkdtempSync(join(tmpdir(), "statebench-k6-vus-"));
try {
  const rows = [];
  for (const n of counts) {
    const row = await measure(n, bin, server.url, dir);
    rows.push(row);
    console.log(`${n} VUs: peak RSS ${row.peakRssMb} MB, start-up ${row.initS ?? "?"} s, exit ${row.code}`);
  }
  const [lo, hi] = [rows[0], rows.at(-1)];
  if (lo && hi && hi.vus > lo.vus) {
    const perVu = (hi.peakRssMb - lo.peakRssMb) / (hi.vus - lo.vus);
    const initMs = hi.initS !== null && lo.initS !== null ? ((hi.initS - lo.initS) * 1000) / (hi.vus - lo.vus) : null;
    console.log(`per VU: ${perVu.toFixed(2)} MB of RSS, ${initMs === null ? "?" : initMs.toFixed(1)} ms of start-up`);
  }
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
