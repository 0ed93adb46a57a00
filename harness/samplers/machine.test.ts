import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { describe, it } from "node:test";
import { machineLoad, machineSampler } from "./machine.ts";
import { readStatSync } from "./proc.ts";
import { processSampler } from "./processes.ts";
import { startRecorder } from "./recorder.ts";
import type { Sampler } from "./types.ts";

/** A single-threaded busy loop that ends by itself after `seconds` (bounded even if the test dies). */
function busyLoop(seconds: number): ChildProcess {
  return spawn(process.execPath, ["-e", `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {}`], {
    stdio: "ignore",
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuOf = (pid: number) => readStatSync(pid)?.cpuS ?? 0;

describe("machine sampler (real /proc)", () => {
  it("counts a busy loop outside the stack as outside load and names it", async () => {
    const loop = busyLoop(20);
    const pid = loop.pid as number;
    // The stack here is an idle sleeper: the loop (and this test process) are outside it.
    const idle = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      const machine = machineSampler(() => [idle.pid as number]);
      const rec = startRecorder({ samplers: [machine], intervalMs: 250 });
      await sleep(300);
      await rec.tick();
      const start = { atMs: performance.now(), counters: rec.totals(), outside: machine.outsideUse() };
      const loopBefore = cpuOf(pid);
      await sleep(2500);
      await rec.tick();
      const end = { atMs: performance.now(), counters: rec.totals(), outside: machine.outsideUse() };
      const loopUsed = cpuOf(pid) - loopBefore;
      await rec.stop();
      const load = machineLoad(availableParallelism(), start, end);
      assert.ok(load, "measured");
      const windowS = (end.atMs - start.atMs) / 1000;
      // The loop alone is loopUsed / windowS cores; outside load is at least that (minus tick rounding).
      const loopPercent = (loopUsed / (windowS * load.cores)) * 100;
      assert.ok(loopUsed > 0.3, `the loop ran: ${loopUsed} s`);
      assert.ok(
        load.outsideCpuPercent >= loopPercent - 3,
        `outside ${load.outsideCpuPercent}% >= the loop's ${loopPercent.toFixed(1)}%`,
      );
      assert.equal(load.busy, load.outsideCpuPercent > 10);
      assert.ok(load.busy, "a busy loop on one core of two or more is more than 10% of a small machine");
      const named = load.busiest.find((p) => p.pid === pid);
      assert.ok(named, `the loop is named: ${JSON.stringify(load.busiest)}`);
      assert.match(named.command, /while \(Date\.now\(\) < end\)/);
      for (const r of rec.rows) assert.ok((r.rates["cpu.outside"] ?? 0) <= load.cores, "never above the cores");
    } finally {
      loop.kill("SIGKILL");
      idle.kill("SIGKILL");
    }
  });

  it("does not count the stack's own processes as outside", async () => {
    const loop = busyLoop(20);
    const pid = loop.pid as number;
    try {
      const machine = machineSampler(() => [pid]);
      const rec = startRecorder({ samplers: [machine], intervalMs: 250 });
      await sleep(300);
      await rec.tick();
      const start = { atMs: performance.now(), counters: rec.totals(), outside: machine.outsideUse() };
      const loopBefore = cpuOf(pid);
      await sleep(2000);
      await rec.tick();
      const end = { atMs: performance.now(), counters: rec.totals(), outside: machine.outsideUse() };
      const loopUsed = cpuOf(pid) - loopBefore;
      await rec.stop();
      const stackUsed = (end.counters["machine.stack"] ?? 0) - (start.counters["machine.stack"] ?? 0);
      assert.ok(Math.abs(stackUsed - loopUsed) <= 0.05, `stack ${stackUsed} s = the loop's ${loopUsed} s`);
      const load = machineLoad(availableParallelism(), start, end);
      assert.ok(load);
      assert.equal(
        load.busiest.some((p) => p.pid === pid),
        false,
        "a stack process is never named as outside load",
      );
    } finally {
      loop.kill("SIGKILL");
    }
  });
});

describe("CPU rates with uneven sample intervals", () => {
  /** Delays every other sample by `stallMs`, as a busy event loop delays the sampler's reads. */
  function stalling(inner: Sampler, stallMs: number): Sampler {
    let n = 0;
    return {
      name: inner.name,
      async sample() {
        n += 1;
        if (n % 2 === 0) await sleep(stallMs);
        return inner.sample();
      },
      close: () => inner.close(),
    };
  }

  it("a counter growing at exactly one unit per second has a rate of 1 whatever the stalls", async () => {
    const oneCore: Sampler = {
      name: "clock",
      async sample() {
        const now = performance.now();
        return { counters: { "cpu.clock": now / 1000 }, gauges: {}, times: { "cpu.clock": now } };
      },
      close: async () => {},
    };
    const rec = startRecorder({ samplers: [stalling(oneCore, 700)], intervalMs: 250, maxTicks: 16 });
    await sleep(4500);
    await rec.stop();
    const rates = rec.rows.map((r) => r.rates["cpu.clock"]).filter((x) => x !== undefined);
    assert.ok(rates.length >= 3, `rows: ${rates.length}`);
    for (const x of rates) assert.ok(Math.abs(x - 1) < 0.01, `rate ${x}`);
  });

  it("a single-threaded busy process never reads above one core, nor any process above the cores", async () => {
    const loop = busyLoop(20);
    try {
      const cores = availableParallelism();
      const procs = processSampler(() => [
        { label: "loop", pid: loop.pid as number },
        { label: "self", pid: process.pid, tree: true },
      ]);
      const rec = startRecorder({ samplers: [stalling(procs, 1200)], intervalMs: 500, maxTicks: 16 });
      await sleep(7000);
      await rec.stop();
      const loopRates = rec.rows.map((r) => r.rates["cpu.loop"]).filter((x) => x !== undefined);
      assert.ok(loopRates.length >= 3, `rows: ${loopRates.length}`);
      // 10 ms clock ticks over at least 250 ms: a few per cent of rounding.
      for (const x of loopRates) assert.ok(x <= 1.1, `busy loop at ${(x * 100).toFixed(0)}% of a core`);
      for (const r of rec.rows) for (const x of Object.values(r.rates)) assert.ok(x <= cores, `${x} > ${cores} cores`);
      assert.ok(Math.max(...loopRates) > 0.2, "the loop was measured at all");
    } finally {
      loop.kill("SIGKILL");
    }
  });
});
