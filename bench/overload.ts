// Overload behaviour of ONE node of either app behind its HAProxy (issue 13 item 1): first its hold capacity
// (closed loop, 256 connections straight to the node), then open-loop holds at `--factors` times that rate (default 2 and 5) through
// the load balancer with up to `--connections` sockets. Reports per phase: goodput (holds answered 201 within
// 1 s, per second, and as a share of the capacity), shed answers (503 overloaded) and how fast they came, other
// outcomes, and the node's peak RSS; after the last phase, whether the node still answers /health.
//   node --import tsx bench/overload.ts --app stateful [--cpu 0.5] [--seconds 8] [--factors 2,5]
//     [--connections 2000] [--app-env KEY=VALUE ...]
// Bounded: capacity phase `--seconds`, each factor phase `--seconds` (+ 5 s drain), at most factor x capacity x
// seconds requests; every server on 127.0.0.1; everything it started is stopped.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { parseAppEnv } from "../harness/bench/options.ts";
import { type Stack, startStack } from "../harness/stack/index.ts";

const { values } = parseArgs({
  options: {
    app: { type: "string", default: "stateful" },
    cpu: { type: "string", default: "0.5" },
    seconds: { type: "string", default: "8" },
    factors: { type: "string", default: "2,5" },
    connections: { type: "string", default: "2000" },
    "app-env": { type: "string", multiple: true },
  },
});
const app = values.app === "stateless" ? "stateless" : "stateful";
const cpu = values.cpu === "none" ? null : Number(values.cpu);
const seconds = Math.max(2, Math.min(30, Number(values.seconds)));
const factors = (values.factors ?? "").split(",").map(Number);
if (factors.some((f) => !(f > 0 && f <= 10))) throw new Error("--factors: numbers in (0, 10], e.g. 2,5");
const connections = Math.max(16, Math.min(5000, Number(values.connections)));
const env = parseAppEnv(values["app-env"] ?? []);
const GOOD_MS = 1_000;
const SEATS = 200_000;

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m?.[1] ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

interface Phase {
  name: string;
  offeredPerS: number;
  sent: number;
  goodPerS: number;
  goodOfCapacity: number;
  shed: number;
  shedP50Ms: number;
  shedP99Ms: number;
  admittedP50Ms: number;
  admittedP99Ms: number;
  other: Record<string, number>;
  peakRssMb: number;
  /** How late this client sent, p99 (ms): a large value means the machine, not the node, set the pace. */
  sendLagP99Ms: number;
}

let nextSeat = 0;
function holdBody(): string {
  const i = nextSeat++;
  const section = (i % 20) + 1;
  const n = Math.floor(i / 20) + 1;
  return JSON.stringify({ seatId: `S${section}-${n}`, userId: `u${i}`, requestId: `r${i}` });
}

async function hold(pool: Pool, eventId: string): Promise<{ status: number; text: string }> {
  try {
    const res = await pool.request({
      method: "POST",
      path: `/events/${eventId}/holds`,
      headers: { "content-type": "application/json" },
      body: holdBody(),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    return { status: res.statusCode, text: await res.body.text() };
  } catch (err) {
    return { status: 0, text: (err as Error).name };
  }
}

/** Closed loop with a few connections: the node's hold rate when it is never offered more than it takes. */
async function capacity(pool: Pool, eventId: string, workers: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let ok = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) if ((await hold(pool, eventId)).status === 201) ok++;
    }),
  );
  return ok / seconds;
}

/** Open loop: request k leaves at t0 + k / rate whatever the answers (bounded by rate x seconds requests). */
async function openLoop(stack: Stack, pool: Pool, eventId: string, rate: number, name: string, cap: number) {
  const total = Math.floor(rate * seconds);
  const node = stack.nodes[0];
  const shedMs: number[] = [];
  const admittedMs: number[] = [];
  const other: Record<string, number> = {};
  const lags: number[] = [];
  let good = 0;
  let peakRss = 0;
  const sampler = setInterval(() => {
    if (node) peakRss = Math.max(peakRss, rssMb(node.pid));
  }, 250);
  const running = new Set<Promise<void>>();
  const t0 = performance.now() + 20;
  let started = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (started < total && t0 + (started * 1000) / rate <= now) {
        const intended = t0 + (started * 1000) / rate;
        lags.push(now - intended);
        const p = hold(pool, eventId).then(({ status, text }) => {
          const ms = performance.now() - intended;
          if (status === 201) {
            admittedMs.push(ms);
            if (ms <= GOOD_MS) good++;
          } else if (status === 503 && text.includes('"error":"overloaded"')) shedMs.push(ms);
          else other[`${status}`] = (other[`${status}`] ?? 0) + 1;
        });
        const tracked = p.finally(() => running.delete(tracked));
        running.add(tracked);
        started++;
      }
      if (started >= total) done();
      else setTimeout(tick, 1);
    };
    setTimeout(tick, 20);
  });
  await Promise.race([Promise.all(running), new Promise((r) => setTimeout(r, 5_000).unref())]);
  clearInterval(sampler);
  if (running.size > 0) other.unfinished = running.size;
  shedMs.sort((a, b) => a - b);
  admittedMs.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  const phase: Phase = {
    name,
    offeredPerS: rate,
    sent: total,
    goodPerS: good / seconds,
    goodOfCapacity: good / seconds / cap,
    shed: shedMs.length,
    shedP50Ms: pct(shedMs, 0.5),
    shedP99Ms: pct(shedMs, 0.99),
    admittedP50Ms: pct(admittedMs, 0.5),
    admittedP99Ms: pct(admittedMs, 0.99),
    other,
    peakRssMb: peakRss,
    sendLagP99Ms: pct(lags, 0.99),
  };
  return phase;
}

const stack = await startStack({ app, nodes: 1, nodeCpu: cpu, env });
const pool = new Pool(stack.url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
/** A fresh event of SEATS seats in 20 sections (an event holds at most 200,000 seats: one per phase). */
async function newEvent(pool: Pool, name: string): Promise<string> {
  const eventId = `overload-${name}-${Date.now()}`;
  const sections = Array.from({ length: 20 }, (_, i) => ({ id: `S${i + 1}`, seats: SEATS / 20 }));
  const created = await pool.request({
    method: "PUT",
    path: `/events/${eventId}`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sections }),
  });
  await created.body.text();
  if (created.statusCode !== 201) throw new Error(`PUT event answered ${created.statusCode}`);
  nextSeat = 0;
  return eventId;
}

// Straight to the node with many connections (its own bound, 256-512, is not reached): its best rate when nothing
// is shed. Through HAProxy with few connections, a closed loop measures the round trip, not the node.
const CAPACITY_CONNECTIONS = 256;

try {
  process.stderr.write(
    `${app}: measuring capacity (${seconds} s, closed loop, ${CAPACITY_CONNECTIONS} connections to the node) ...\n`,
  );
  const direct = new Pool(stack.nodes[0]?.url ?? "", { connections: CAPACITY_CONNECTIONS, keepAliveTimeout: 30_000 });
  const cap = await capacity(direct, await newEvent(direct, "capacity"), CAPACITY_CONNECTIONS).finally(() =>
    direct.close(),
  );
  process.stderr.write(
    `${app}: capacity ${cap.toFixed(0)} holds/s, RSS ${rssMb(stack.nodes[0]?.pid ?? 0).toFixed(0)} MB\n`,
  );
  const phases: Phase[] = [];
  for (const f of factors) {
    if (f * cap * seconds > SEATS) throw new Error("an event would run out of seats: lower --seconds");
    const p = await openLoop(stack, pool, await newEvent(pool, `${f}x`), f * cap, `${f}x`, cap);
    phases.push(p);
    process.stderr.write(`${app}: ${JSON.stringify(p)}\n`);
  }
  const health = await fetch(`${stack.nodes[0]?.url}/health`).then(
    (r) => r.status,
    () => 0,
  );
  const lines = [
    `${app}, 1 node (cpu ${cpu ?? "unlimited"}) behind HAProxy, capacity ${cap.toFixed(0)} holds/s (closed loop); good = 201 within ${GOOD_MS} ms`,
    "",
    "| offered | x cap | goodput/s | of capacity | shed | shed p50 / p99 ms | admitted p50 / p99 ms | other | node peak RSS MB | send lag p99 ms |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ...phases.map(
      (p) =>
        `| ${p.offeredPerS.toFixed(0)}/s | ${p.name} | ${p.goodPerS.toFixed(0)} | ${(100 * p.goodOfCapacity).toFixed(0)}% | ` +
        `${p.shed} | ${p.shedP50Ms.toFixed(1)} / ${p.shedP99Ms.toFixed(1)} | ${p.admittedP50Ms.toFixed(1)} / ` +
        `${p.admittedP99Ms.toFixed(1)} | ${JSON.stringify(p.other)} | ${p.peakRssMb.toFixed(0)} | ${p.sendLagP99Ms.toFixed(1)} |`,
    ),
    "",
    `node /health after the last phase: ${health}`,
    `Command: \`node --import tsx bench/overload.ts ${process.argv.slice(2).join(" ")}\``,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  await pool.close().catch(() => {});
  await stack.stop();
}
