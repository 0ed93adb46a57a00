// The embedded driver's CPU per request and its ceiling against a trivial server, next to autocannon on the same
// server in the same run.
//   node --import tsx bench/driver-ceiling.ts [--rate 1000] [--step-s 4] [--climb] [--max-steps 14] [--max-p99-ms 50] [--no-pin]
// The stub server runs in a child process pinned to CPU 1, this process (driver, then autocannon) on CPU 0.
// First buyer journeys (seat list, hold, confirm: 3 requests) at `--rate` journeys/s (1000 = 3,000 req/s), then
// autocannon on the seat list at the same request rate and unbounded, each for step-s seconds. With `--climb`,
// rates then climb 40% a step from 100 journeys/s until one is not sustained (at most max-steps per mode).
// A rate is "sustained" when the journeys *completed* (not merely started) within 2% of the target, no request
// failed, p99 latency from the intended send time stayed within max-p99-ms, and the driver kept its schedule
// (p99 send lag <= 100 ms counting the wait inside the client, no arrival dropped).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { prepareEvent, runDriver } from "../harness/driver/index.ts";
import { startStubServer } from "../harness/driver/stub-server.ts";
import { loadScenario } from "../scenarios/index.ts";
import type { Journey, Scenario } from "../scenarios/types.ts";

type Autocannon = (opts: { url: string; connections: number; duration: number; overallRate?: number }) => Promise<{
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  non2xx: number;
}>;

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

// Buying journeys: availability read (100 seats of JSON), hold, confirm (hold conflicts end a journey early).
const BUY: Partial<Journey> = { browseOnly: 0, holdAttempts: 1, confirmRatio: 1 };
// Browsing journeys: event summary + availability read.
const BROWSE: Partial<Journey> = { browseOnly: 1 };

if (args[0] === "--server") {
  const srv = await startStubServer();
  process.stdout.write(`${srv.url}\n`);
  process.on("SIGTERM", () => void srv.close().then(() => process.exit(0)));
} else {
  await main();
}

function pin(pid: number, cpu: number): boolean {
  return spawnSync("taskset", ["-cp", String(cpu), String(pid)], { stdio: "ignore" }).status === 0;
}

/** CPU seconds of another process (utime + stime from /proc). */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ["--import", "tsx", self, "--server"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("stub server did not start in 20 s")), 20_000);
    child.stdout?.once("data", (d: Buffer) => {
      clearTimeout(t);
      resolve(d.toString().trim());
    });
  });
  return { url, child };
}

function scenarioFor(journey: Partial<Journey>, rate: number, stepS: number): Scenario {
  const s = structuredClone(loadScenario("flash-sale", "ci"));
  s.event.sections = Array.from({ length: 200 }, (_, i) => ({ id: `S${i + 1}`, seats: 1000 }));
  s.event.holdTtlMs = 600_000;
  s.journey = { ...s.journey, thinkMs: 0, hotness: 0, ...journey };
  s.arrival = { ...s.arrival, startRate: rate, stages: [{ durationS: stepS, target: rate }], maxJourneys: 10_000_000 };
  s.stopWhenSoldOut = false;
  s.tailS = 0;
  return s;
}

interface Step {
  rate: number;
  journeysPerS: number;
  completedPerS: number;
  requestsPerS: number;
  p99Ms: number;
  lagP99Ms: number;
  driverCpuPct: number;
  driverUsPerReq: number;
  peakConnections: number;
  serverCpuPct: number;
  ok: boolean;
  why: string[];
}

async function runStep(
  label: string,
  url: string,
  serverPid: number,
  journey: Partial<Journey>,
  rate: number,
  stepS: number,
  maxP99Ms: number,
): Promise<Step> {
  const s = scenarioFor(journey, rate, stepS);
  const eventId = `${label}-${rate}-${Math.random().toString(36).slice(2, 6)}`;
  await prepareEvent({ baseUrl: url, eventId, scenario: s });
  const srvCpu0 = cpuOf(serverPid);
  const r = await runDriver({ scenario: s, baseUrl: url, eventId, phase: "measure", seed: 1, pollSoldOut: false });
  const srvCpu = cpuOf(serverPid) - srvCpu0;
  // Judged on what completed, over the schedule's length: a pump that only starts journeys proves nothing.
  const completedPerS = r.journeys.completed / stepS;
  const why: string[] = [];
  if (!r.health.keptSchedule) why.push(...r.health.problems);
  if (r.errors.count > 0) why.push(`${r.errors.count} failed requests (${JSON.stringify(r.errors.byCode)})`);
  if (Math.abs(completedPerS / rate - 1) >= 0.02) why.push(`completed ${completedPerS.toFixed(1)}/s of ${rate}/s`);
  if (r.latency.p99 > maxP99Ms) why.push(`p99 ${r.latency.p99} ms > ${maxP99Ms} ms`);
  const step: Step = {
    rate,
    journeysPerS: Math.round(r.journeys.started / stepS),
    completedPerS: Math.round(completedPerS),
    requestsPerS: Math.round(r.requests.total / stepS),
    p99Ms: r.latency.p99,
    lagP99Ms: r.health.p99LagMs,
    driverCpuPct: r.health.cpuPercent,
    driverUsPerReq: r.health.cpuUsPerRequest ?? 0,
    peakConnections: r.health.connections?.peak ?? 0,
    serverCpuPct: Math.round((srvCpu / r.window.durationS) * 100),
    ok: why.length === 0,
    why,
  };
  console.log(`${label} ${JSON.stringify(step)}`);
  return step;
}

async function climb(
  label: string,
  url: string,
  serverPid: number,
  journey: Partial<Journey>,
  rates: number[],
  stepS: number,
  maxP99Ms: number,
): Promise<Step[]> {
  const steps: Step[] = [];
  for (const rate of rates) {
    const step = await runStep(label, url, serverPid, journey, rate, stepS, maxP99Ms);
    steps.push(step);
    if (!step.ok) break;
  }
  return steps;
}

async function main() {
  const stepS = flag("--step-s", 4);
  const maxSteps = flag("--max-steps", 14);
  const rate = flag("--rate", 1000);
  const maxP99Ms = flag("--max-p99-ms", 50);
  const noPin = args.includes("--no-pin");
  const pinned = !noPin && pin(process.pid, 0);
  const { url, child } = await startServer();
  const serverPid = child.pid ?? 0;
  const serverPinned = !noPin && pin(serverPid, 1);
  console.log(
    `driver ceiling: server ${url} (pid ${serverPid}); pinned driver cpu0=${pinned} server cpu1=${serverPinned}`,
  );
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(" ");
  console.log(`load average before: ${load()}`);
  try {
    const ac = createRequire(import.meta.url)("autocannon") as Autocannon;
    const cannon = async (path: string, overallRate?: number) => {
      const cpu0 = process.cpuUsage();
      const srv0 = cpuOf(serverPid);
      const res = await ac({ url: `${url}${path}`, connections: 50, duration: stepS, overallRate });
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      const out = {
        path,
        overallRate: overallRate ?? null,
        requestsPerS: Math.round(res.requests.average),
        p99Ms: res.latency.p99,
        errors: res.errors + res.non2xx,
        generatorCpuPct: Math.round((cpuS / stepS) * 100),
        generatorUsPerReq: Math.round((cpuS / Math.max(1, res.requests.total)) * 1e6 * 10) / 10,
        serverCpuPct: Math.round(((cpuOf(serverPid) - srv0) / stepS) * 100),
      };
      console.log(`autocannon ${JSON.stringify(out)}`);
      return out;
    };

    // Side by side at one request rate: the driver's buyer journeys, then autocannon on the seat list. Note that
    // autocannon's overallRate is a closed loop paced per second (it sends its quota, then idles), so it wakes far
    // less often than an open model spreading the same requests evenly.
    const fixed = await runStep("buy", url, serverPid, BUY, rate, stepS, maxP99Ms);
    const listPath = `/events/buy-${rate}-x/seats?status=available&limit=100&section=S2`;
    await prepareEvent({ baseUrl: url, eventId: `buy-${rate}-x`, scenario: scenarioFor(BUY, rate, stepS) });
    const acSame = await cannon(listPath, fixed.requestsPerS);
    const acList = await cannon(listPath);

    const buy = args.includes("--climb")
      ? await climb("buy", url, serverPid, BUY, rates(100, maxSteps), stepS, maxP99Ms)
      : [];
    const browse = args.includes("--climb")
      ? await climb("browse", url, serverPid, BROWSE, rates(100, maxSteps), stepS, maxP99Ms)
      : [];

    const best = (xs: Step[]) => xs.filter((x) => x.ok).at(-1);
    const lowest = (xs: Step[]) =>
      xs[0] ? `none sustained (at ${xs[0].rate}/s: ${xs[0].why.join("; ")})` : "not run (--climb)";
    const ceiling = (xs: Step[]) => {
      const b = best(xs);
      return b ? `${b.completedPerS} journeys/s, ${b.requestsPerS} req/s, ${b.driverUsPerReq} µs CPU/req` : lowest(xs);
    };
    const ratio = acSame.generatorUsPerReq > 0 ? fixed.driverUsPerReq / acSame.generatorUsPerReq : 0;
    console.log("\nsummary (one core for the generator, one for the stub server):");
    console.log(
      `  driver, buy journeys at ${rate}/s (${fixed.requestsPerS} req/s): ${fixed.driverUsPerReq} µs CPU/req, ` +
        `p99 ${fixed.p99Ms} ms, ${fixed.peakConnections} connections at most, ${fixed.ok ? "sustained" : `NOT sustained: ${fixed.why.join("; ")}`}`,
    );
    console.log(
      `  autocannon, GET seat list at ${acSame.requestsPerS} req/s: ${acSame.generatorUsPerReq} µs CPU/req (50 connections)`,
    );
    console.log(`  driver / autocannon at the same rate: ${ratio.toFixed(2)}x CPU per request`);
    console.log(
      `  autocannon, GET seat list unbounded:   ${acList.requestsPerS} req/s, ${acList.generatorUsPerReq} µs CPU/req`,
    );
    console.log(`  driver ceiling, buy journeys:    ${ceiling(buy)}`);
    console.log(`  driver ceiling, browse journeys: ${ceiling(browse)}`);
    console.log(`load average after: ${load()}`);
  } finally {
    child.kill("SIGTERM");
  }
}

/** Rates climb by 40% a step. */
function rates(start: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => Math.round(start * 1.4 ** i));
}
