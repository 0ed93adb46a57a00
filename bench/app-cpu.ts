// Server CPU per request of the booking mix (section listing, hold, confirm), side by side in ONE run: a Hono
// hello-world with canned bodies, one stateful node (clustered as `npm run bench` runs it, and CLUSTER=off), one
// stateless API replica with its worker, Redis and PostgreSQL. Every target gets the same requests at the same
// offered rate (open model), in interleaved rounds (A, B, C, A, B, C, ...) so that a noisy neighbour hits all of
// them alike. CPU comes from /proc/<pid>/stat: the app process alone, and the whole stack (PostgreSQL's backends,
// Redis, the worker) for information. Prints a Markdown table and writes results/app-cpu-<timestamp>.json.
//   node --import tsx bench/app-cpu.ts [--rate 1500] [--seconds 8] [--rounds 3] [--connections 32]
//     [--targets hello,stateful,stateful-off,stateless] [--pin] [--profile DIR] [--app-env KEY=VALUE ...]
// Bounded: rounds x targets rounds of `seconds` (+ drain), at most rate x seconds requests each; 127.0.0.1 only.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseAppEnv } from "../harness/bench/options.ts";
import { sleep } from "../harness/infra/index.ts";
import { benchLayout } from "./app-cpu/canned.ts";
import { type MixResult, mixClient, runMix } from "./app-cpu/mix.ts";
import { type RoundRow, summarise, table } from "./app-cpu/report.ts";
import { startTarget, TARGET_NAMES, type Target, type TargetName } from "./app-cpu/targets.ts";

const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "1500" },
    seconds: { type: "string", default: "8" },
    rounds: { type: "string", default: "3" },
    "warmup-s": { type: "string", default: "3" },
    connections: { type: "string", default: "32" },
    targets: { type: "string", default: TARGET_NAMES.join(",") },
    /** Pins this client to CPU 0 and each app process to CPU 1 (their databases stay unpinned). */
    pin: { type: "boolean", default: false },
    "log-level": { type: "string", default: "warn" },
    /** Folder for `--cpu-prof` profiles of every server process (written when they exit; inflates the CPU). */
    profile: { type: "string" },
    /** Extra environment for the apps' processes (`KEY=VALUE`, repeatable), as `npm run bench -- --app-env`. */
    "app-env": { type: "string", multiple: true, default: [] },
    out: { type: "string" },
  },
});
const rate = Math.max(30, Math.min(20_000, Number(values.rate)));
const seconds = Math.max(1, Math.min(60, Number(values.seconds)));
const rounds = Math.max(1, Math.min(10, Number(values.rounds)));
const warmupS = Math.max(0, Math.min(30, Number(values["warmup-s"])));
const connections = Math.max(1, Math.min(256, Number(values.connections)));
const names = (values.targets ?? "").split(",").map((s) => s.trim()) as TargetName[];
for (const n of names)
  if (!TARGET_NAMES.includes(n)) throw new Error(`unknown target ${n} (${TARGET_NAMES.join(", ")})`);
if (!names.includes("hello")) names.unshift("hello");

const appEnv = parseAppEnv(values["app-env"] ?? []);
const nodeArgs = values.profile ? ["--cpu-prof", `--cpu-prof-dir=${resolve(values.profile)}`] : [];
const pin = (pid: number, cpu: number) =>
  spawnSync("taskset", ["-cp", String(cpu), String(pid)], { stdio: "ignore" }).status === 0;

const targets: Target[] = [];
const stopAll = () => Promise.all(targets.map((t) => t.stop().catch(() => {})));
process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));

try {
  const loadBefore = loadavg();
  for (const name of names) {
    process.stderr.write(`starting ${name} ...\n`);
    targets.push(
      await startTarget(name, { root: ROOT, logLevel: values["log-level"] ?? "warn", nodeArgs, env: appEnv }),
    );
  }
  const pinned = values.pin && pin(process.pid, 0) && targets.every((t) => pin(t.appPid, 1));
  const clients = new Map(targets.map((t) => [t.name, mixClient(t.url, connections)]));
  const journeyOf = new Map<TargetName, number>();
  const eventOf = (t: Target) => `cpu-${t.name}-1`;
  for (const t of targets) {
    const res = await clients.get(t.name)?.pool.request({
      method: "PUT",
      path: `/events/${eventOf(t)}`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(benchLayout()),
    });
    await res?.body.text();
    if (res?.statusCode !== 201) throw new Error(`${t.name}: PUT event answered ${res?.statusCode}`);
    journeyOf.set(t.name, 0);
  }

  const round = async (
    t: Target,
    roundSeconds: number,
  ): Promise<{
    mix: MixResult;
    appS: number;
    appSysS: number;
    stackS: number;
    clientS: number;
    eventsPerTx: number | null;
  }> => {
    const client = clients.get(t.name);
    if (client === undefined) throw new Error(`no client for ${t.name}`);
    const first = journeyOf.get(t.name) ?? 0;
    // Read outside the CPU window: a /metrics request costs the node CPU too.
    const journalBefore = await t.journal();
    const before = await t.cpu();
    const clientBefore = process.cpuUsage();
    const mix = await runMix(client, {
      rate,
      seconds: roundSeconds,
      eventId: eventOf(t),
      firstJourney: first,
      drainMs: 10_000,
    });
    // Let background work of this round (write-behind, the stateless worker) land inside its window.
    await sleep(500);
    const after = await t.cpu();
    const clientCpu = process.cpuUsage(clientBefore);
    const journalAfter = await t.journal();
    journeyOf.set(t.name, first + mix.journeys);
    const txs = journalBefore && journalAfter ? journalAfter.transactions - journalBefore.transactions : 0;
    return {
      eventsPerTx: journalBefore && journalAfter && txs > 0 ? (journalAfter.events - journalBefore.events) / txs : null,
      mix,
      appS: after.appS - before.appS,
      appSysS: after.appSysS - before.appSysS,
      stackS: after.stackS - before.stackS,
      clientS: (clientCpu.user + clientCpu.system) / 1e6,
    };
  };

  if (warmupS > 0) {
    process.stderr.write(`warm-up: ${warmupS} s per target\n`);
    for (const t of targets) await round(t, warmupS);
  }
  const rows: RoundRow[] = [];
  for (let r = 1; r <= rounds; r++) {
    for (const t of targets) {
      const { mix, appS, appSysS, stackS, clientS, eventsPerTx } = await round(t, seconds);
      const row: RoundRow = {
        round: r,
        target: t.name,
        requests: mix.requests,
        ok: mix.ok,
        unexpected: mix.unexpected,
        reqPerS: mix.requests / mix.elapsedS,
        appUsPerReq: (appS * 1e6) / Math.max(1, mix.requests),
        appSysUsPerReq: (appSysS * 1e6) / Math.max(1, mix.requests),
        stackUsPerReq: (stackS * 1e6) / Math.max(1, mix.requests),
        clientUsPerReq: (clientS * 1e6) / Math.max(1, mix.requests),
        p50Ms: mix.p50Ms,
        p99Ms: mix.p99Ms,
        lagP99Ms: mix.lagP99Ms,
        eventsPerTx,
      };
      rows.push(row);
      process.stderr.write(
        `round ${r} ${t.name.padEnd(12)} ${row.requests} req, ${row.ok} ok, app ${row.appUsPerReq.toFixed(0)} µs/req ` +
          `(sys ${row.appSysUsPerReq.toFixed(0)}), ` +
          `stack ${row.stackUsPerReq.toFixed(0)} µs/req, client ${row.clientUsPerReq.toFixed(0)} µs/req, ` +
          `p50 ${row.p50Ms.toFixed(1)} ms p99 ${row.p99Ms.toFixed(1)} ms\n`,
      );
    }
  }
  await Promise.all([...clients.values()].map((c) => c.close()));

  const summary = summarise(targets, rows);
  const loadAfter = loadavg();
  const setup = {
    rate,
    seconds,
    rounds,
    warmupS,
    connections,
    pinned,
    node: process.version,
    loadavgBefore: loadBefore,
    loadavgAfter: loadAfter,
    command: `node --import tsx bench/app-cpu.ts ${process.argv.slice(2).join(" ")}`.trim(),
  };
  const md = table(summary, setup);
  process.stdout.write(`${md}\n`);
  const out = values.out ?? join(ROOT, "results", `app-cpu-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  mkdirSync(join(out, ".."), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ setup, summary, rounds: rows }, null, 2)}\n`);
  process.stdout.write(`\nwrote ${out}\n`);
} finally {
  await stopAll();
}
