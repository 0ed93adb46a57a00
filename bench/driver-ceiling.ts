// The embedded driver's ceiling: journeys/s and requests/s it sustains on one core against a trivial server,
// next to autocannon on the same server in the same run.
//   node --import tsx bench/driver-ceiling.ts [--step-s 4] [--max-steps 14] [--no-pin]
// The stub server runs in a child process pinned to CPU 1, this process (driver, then autocannon) on CPU 0.
// A rate is "sustained" when every arrival started on time (p99 schedule lag <= 100 ms, none dropped), no request
// failed and the achieved journey rate is within 2% of the target. Rates climb 40% a step from 100 journeys/s; bounded: at most max-steps runs of step-s seconds per mode.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { prepareEvent, runDriver } from "../harness/driver/index.ts";
import { startStubServer } from "../harness/driver/stub-server.ts";
import { loadScenario } from "../scenarios/index.ts";
import type { Journey, Scenario } from "../scenarios/types.ts";

type Autocannon = (opts: { url: string; connections: number; duration: number }) => Promise<{
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
  requestsPerS: number;
  p99Ms: number;
  lagP99Ms: number;
  driverCpuPct: number;
  driverUsPerReq: number;
  serverCpuPct: number;
  ok: boolean;
}

async function climb(
  label: string,
  url: string,
  serverPid: number,
  journey: Partial<Journey>,
  rates: number[],
  stepS: number,
): Promise<Step[]> {
  const steps: Step[] = [];
  for (const [i, rate] of rates.entries()) {
    const s = scenarioFor(journey, rate, stepS);
    const eventId = `${label}-${i}`;
    await prepareEvent({ baseUrl: url, eventId, scenario: s });
    const srvCpu0 = cpuOf(serverPid);
    const r = await runDriver({ scenario: s, baseUrl: url, eventId, phase: "measure", seed: 1, pollSoldOut: false });
    const srvCpu = cpuOf(serverPid) - srvCpu0;
    const achieved = r.journeys.started / stepS;
    const step: Step = {
      rate,
      journeysPerS: Math.round(r.journeys.started / r.window.durationS),
      requestsPerS: Math.round(r.throughput.requestsPerS),
      p99Ms: r.latency.p99,
      lagP99Ms: r.health.p99LagMs,
      driverCpuPct: r.health.cpuPercent,
      driverUsPerReq: Math.round((r.health.cpuS / Math.max(1, r.requests.total)) * 1e6 * 10) / 10,
      serverCpuPct: Math.round((srvCpu / r.window.durationS) * 100),
      ok: r.health.keptSchedule && r.errors.count === 0 && Math.abs(achieved / rate - 1) < 0.02,
    };
    steps.push(step);
    console.log(`${label} ${JSON.stringify(step)}`);
    if (!step.ok) break;
  }
  return steps;
}

async function main() {
  const stepS = flag("--step-s", 4);
  const maxSteps = flag("--max-steps", 14);
  const noPin = args.includes("--no-pin");
  const pinned = !noPin && pin(process.pid, 0);
  const { url, child } = await startServer();
  const serverPid = child.pid ?? 0;
  const serverPinned = !noPin && pin(serverPid, 1);
  console.log(
    `driver ceiling: server ${url} (pid ${serverPid}); pinned driver cpu0=${pinned} server cpu1=${serverPinned}`,
  );
  console.log(
    `load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  try {
    // Rates climb by 40% a step until one is not sustained.
    const rates = (start: number) => Array.from({ length: maxSteps }, (_, i) => Math.round(start * 1.4 ** i));
    // Buying journeys: availability read (100 seats of JSON), hold, confirm (hold conflicts end a journey early).
    const buy = await climb(
      "buy",
      url,
      serverPid,
      { browseOnly: 0, holdAttempts: 1, confirmRatio: 1 },
      rates(100),
      stepS,
    );
    // Browsing journeys: event summary + availability read.
    const browse = await climb("browse", url, serverPid, { browseOnly: 1 }, rates(100), stepS);

    const ac = createRequire(import.meta.url)("autocannon") as Autocannon;
    const cannon = async (path: string) => {
      const cpu0 = process.cpuUsage();
      const srv0 = cpuOf(serverPid);
      const res = await ac({ url: `${url}${path}`, connections: 50, duration: stepS });
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      const out = {
        path,
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
    const acSummary = await cannon("/events/buy-0");
    const acList = await cannon("/events/buy-0/seats?status=available&limit=100&section=S2");

    const best = (xs: Step[]) => xs.filter((x) => x.ok).at(-1);
    const b = best(buy);
    const w = best(browse);
    const lowest = (xs: Step[]) =>
      xs[0]
        ? `none sustained (at ${xs[0].rate}/s: schedule lag p99 ${xs[0].lagP99Ms} ms, ${xs[0].driverUsPerReq} µs CPU/req)`
        : "not run";
    console.log("\nsummary (one core for the generator, one for the stub server):");
    console.log(
      `  driver, buy journeys (list+hold+confirm): ${b ? `${b.journeysPerS} journeys/s, ${b.requestsPerS} req/s, ${b.driverUsPerReq} µs CPU/req` : lowest(buy)}`,
    );
    console.log(
      `  driver, browse journeys (summary+list):   ${w ? `${w.journeysPerS} journeys/s, ${w.requestsPerS} req/s, ${w.driverUsPerReq} µs CPU/req` : lowest(browse)}`,
    );
    console.log(
      `  autocannon, GET summary:   ${acSummary.requestsPerS} req/s, ${acSummary.generatorUsPerReq} µs CPU/req (closed loop, 50 connections)`,
    );
    console.log(`  autocannon, GET seat list: ${acList.requestsPerS} req/s, ${acList.generatorUsPerReq} µs CPU/req`);
    console.log(
      `load average after: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    child.kill("SIGTERM");
  }
}
