// k6's own CPU per request with statebench's script, by what k6 is asked to write: the full `--out json` stream
// (gzip, as the harness used to), the same uncompressed, the trimmed stream the harness now writes (system tags
// cut to the ones it reads), and no output at all (the floor). Interleaved, one run each per round.
//   K6_BIN=../shared/k6/k6 node --import tsx bench/k6-cost.ts [--rate 100] [--seconds 5] [--rounds 2]
// Against the stub server (harness/driver/stub-server.ts), so the app's cost is not in the figures. CPU is k6's
// user + system time from /usr/bin/time-like accounting: the children's times of this process (getrusage via
// /proc/self/stat cutime/cstime), which k6 adds to when it exits and is reaped.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareEvent } from "../harness/driver/index.ts";
import { startStubServer } from "../harness/driver/stub-server.ts";
import { findK6, K6_SCRIPT, K6_SYSTEM_TAGS, readK6Summary } from "../harness/k6/index.ts";
import { loadScenario, scenarioToJson } from "../scenarios/index.ts";

const args = process.argv.slice(2);
const num = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : dflt;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name}: expected a positive number`);
  return v;
};
const rate = num("--rate", 100);
const seconds = num("--seconds", 5);
const rounds = num("--rounds", 2);

/** CPU seconds of this process's reaped children (k6 once it has exited). */
function childrenCpuS(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[13]) + Number(f[14])) / 100;
}

type Variant = { name: string; out: string | null; env: Record<string, string> };
const VARIANTS: Variant[] = [
  { name: "json.gz, all tags", out: "points.ndjson.gz", env: {} },
  { name: "json, all tags", out: "points.ndjson", env: {} },
  { name: "json, trimmed tags", out: "points.ndjson", env: { K6_SYSTEM_TAGS } },
  { name: "no output", out: null, env: { K6_SYSTEM_TAGS } },
];

async function runOnce(v: Variant, bin: string, baseUrl: string, dir: string, i: number) {
  const scenario = loadScenario("flash-sale", "quick");
  scenario.event.sections = [{ id: "A", seats: 1_000_000 }];
  scenario.arrival.startRate = rate;
  scenario.arrival.stages = [{ durationS: seconds, target: rate }];
  scenario.arrival.maxJourneys = Math.ceil(rate * seconds * 2);
  const eventId = `cost-${i}`;
  await prepareEvent({ baseUrl, eventId, scenario });
  const file = join(dir, `${eventId}.json`);
  writeFileSync(file, scenarioToJson(scenario));
  const summary = join(dir, `${eventId}-summary.json`);
  const out = v.out ? join(dir, `${eventId}-${v.out}`) : null;
  const before = childrenCpuS();
  const child = spawn(
    bin,
    [
      "run",
      "--no-color",
      "--quiet",
      ...(out ? ["--out", `json=${out}`] : []),
      `--summary-export=${summary}`,
      K6_SCRIPT,
    ],
    {
      env: {
        ...process.env,
        ...v.env,
        K6_NO_USAGE_REPORT: "true",
        SCENARIO_FILE: file,
        BASE_URL: baseUrl,
        EVENT_ID: eventId,
        PHASE: "measure",
        // Few VUs: their start-up (~3 ms of CPU each) would otherwise be most of a short run's cost.
        STATEBENCH_PREALLOCATED_VUS: "50",
        STATEBENCH_MAX_VUS: "200",
      },
      stdio: "ignore",
    },
  );
  const kill = setTimeout(() => child.kill("SIGKILL"), (seconds + 60) * 1000);
  await new Promise((r) => child.on("close", r));
  clearTimeout(kill);
  const cpuS = childrenCpuS() - before;
  const requests = (await readK6Summary(summary)).metrics.http_reqs?.count ?? 0;
  return { cpuUsPerRequest: requests > 0 ? (cpuS * 1e6) / requests : 0, requests, bytes: out ? statSync(out).size : 0 };
}

const bin = findK6();
const server = await startStubServer();
const dir = mkdtempSync(join(tmpdir(), "statebench-k6-cost-"));
try {
  const results = new Map<string, Array<Awaited<ReturnType<typeof runOnce>>>>();
  let i = 0;
  for (let r = 0; r < rounds; r++)
    for (const v of VARIANTS) {
      const row = await runOnce(v, bin, server.url, dir, i++);
      results.set(v.name, [...(results.get(v.name) ?? []), row]);
    }
  console.log(`k6 CPU per request, ${rate} journeys/s for ${seconds} s, ${rounds} round(s), median of rounds:`);
  for (const [name, rows] of results) {
    const us = rows.map((x) => x.cpuUsPerRequest).sort((a, b) => a - b)[Math.floor(rows.length / 2)] ?? 0;
    const mb = (rows[0]?.bytes ?? 0) / 1e6;
    console.log(
      `  ${name.padEnd(20)} ${us.toFixed(0).padStart(5)} µs/request  (${rows[0]?.requests} requests, ${mb.toFixed(1)} MB written)`,
    );
  }
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
