// Multi-host runs on one machine (issue 16 items 1 and 3): a small scenario with every component (PostgreSQL,
// Redis, HAProxy, each app process, the driver) on its own network namespace, for both apps; the remote-target
// path against a deployment in namespaces known only by its URLs; and nothing left behind, Ctrl-C included.
// Skipped, saying why, where namespaces cannot be made (not root, no CAP_NET_ADMIN, not Linux).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { loadScenario, withOverrides } from "../../scenarios/index.ts";
import { createNetwork, isAlive, netnsPlacement, netnsSupport } from "../infra/index.ts";
import { taggedObjects, tagPid } from "../infra/netns-sweep.ts";
import type { AppRunSummary } from "../results/types.ts";
import { startStack } from "../stack/index.ts";
import { parseBenchOptions } from "./options.ts";
import { runBench } from "./run.ts";
import { measure } from "./run-one.ts";
import { remoteTarget } from "./target.ts";

const support = netnsSupport();
const skip = support.ok ? false : support.reason;
const out = mkdtempSync(join(tmpdir(), "statebench-netns-bench-"));
after(() => rmSync(out, { recursive: true, force: true }));
const ROOT = resolve(import.meta.dirname, "..", "..");
const SMALL = ["--profile", "quick", "--scenario", "flash-sale", "--duration", "4", "--rate", "40", "--no-report"];

/** Namespaces and links whose owner is `pid` (their names carry its pid). */
const leftoversOf = (pid: number) =>
  [...taggedObjects()].filter(([tag]) => tagPid(tag) === pid).flatMap(([, o]) => [...o.netns, ...o.links]);

const log = (m: string) => process.stderr.write(`  ${m}\n`);

function assertSpread(r: AppRunSummary) {
  const who = `${r.scenario}/${r.app}`;
  assert.equal(r.audit.valid, true, `${who} audit: ${r.audit.notes.join("; ")}`);
  const t = r.topology;
  assert.ok(t, `${who} has a topology`);
  assert.equal(t.mode, "netns");
  assert.match(t.subnet ?? "", /^10\.77\.\d+\.0\/24$/);
  const host = (label: string) => t.components.find((c) => c.label === label)?.host;
  const apps = t.components.filter((c) => ["api", "worker", "node"].includes(c.role));
  const own = [
    "postgres",
    "haproxy",
    "driver",
    ...apps.map((c) => c.label),
    ...(r.app === "stateless" ? ["redis"] : []),
  ];
  const hosts = own.map(host);
  assert.equal(new Set(hosts).size, own.length, `${who}: one host each: ${own.map((l, i) => `${l}@${hosts[i]}`)}`);
  assert.ok(!hosts.includes("local"), `${who}: nothing on the harness's host`);
  for (const c of t.components.filter((x) => x.address)) assert.match(c.address ?? "", /10\.77\.\d+\.\d+:\d+/);
  // App processes are read through their own /metrics, as on other machines; the figures are there.
  for (const a of apps) {
    assert.equal(a.sampledBy, "metrics", `${who} ${a.label}`);
  }
  assert.ok((r.cpu.maxPercentByProcess["node-1"] ?? 0) > 0, `${who}: node-1 CPU from /metrics`);
  assert.ok((r.memory.peakRssMbByRole[apps[0]?.role ?? "node"] ?? 0) > 20, `${who}: app RSS from /metrics`);
  assert.ok((r.cpu.maxPercentByProcess.driver ?? 0) > 0, `${who}: the driver's own process is watched`);
  // The agent loads before the window: what the sampler saw is what the driver measured of itself.
  const sampled = r.cpu.secondsByRole.driver ?? 0;
  assert.ok(
    Math.abs(sampled - r.driverHealth.cpuS) <= 0.25 + 0.25 * r.driverHealth.cpuS,
    `${who}: driver CPU ${sampled} vs ${r.driverHealth.cpuS}`,
  );
  if (r.app === "stateless") {
    assert.equal(t.components.find((c) => c.label === "redis")?.sampledBy, "redis-info");
    assert.ok((r.memory.peakRssMbByRole.redis ?? 0) > 0, "Redis RSS from INFO");
  }
  assert.ok(r.journeys.completed > 0 && r.bookings.confirmed > 0, `${who}: load went through`);
}

describe("bench across network namespaces", { skip }, () => {
  it("--hosts netns runs both apps with each component on its own host, audits, reports the topology, cleans up", async () => {
    const o = parseBenchOptions(["--hosts", "netns", ...SMALL, "--out", out, "--run-id", "netns"]);
    const run = await runBench(o, log);
    assert.deepEqual(run.summary.skipped, []);
    assert.equal(run.summary.results.length, 2);
    for (const r of run.summary.results) assertSpread(r);
    assert.deepEqual(leftoversOf(process.pid), [], "no namespace or veth left");
    const { writeReport } = await import("../../reporter/index.ts");
    const files = await writeReport(run.dir);
    const html = readFileSync(files.html, "utf8");
    assert.match(html, /<section id="topology">/);
    assert.match(html, /its \/metrics \(Prometheus\)/);
    assert.match(readFileSync(files.markdown, "utf8"), /### Topology/);
  });

  it("--target remote drives, samples and audits a deployment in namespaces known only by its URLs", async () => {
    const net = createNetwork({ hosts: [] });
    const stack = await startStack({ app: "stateless", nodes: 2, place: (name) => netnsPlacement(net, name) });
    try {
      const nodes = Object.fromEntries(stack.nodes.map((n) => [n.id, n.metricsUrl]));
      const scenario = withOverrides(loadScenario("flash-sale", "quick"), { durationS: 4, rate: 40 });
      const options = parseBenchOptions(["--app", "stateless", "--target", "remote", "--lb-url", stack.url]);
      const dir = join(out, "remote");
      mkdirSync(dir, { recursive: true });
      const ctx = { scenario, app: "stateless" as const, options, dir, log };
      const urls = { lb: stack.url, databaseUrl: stack.databaseUrl, redisUrl: stack.redisUrl, nodes };
      const t = remoteTarget(urls);
      const r = await measure(ctx, t);
      assert.equal(r.skipped, null);
      const s = r.summary as AppRunSummary;
      assert.equal(s.audit.valid, true, s.audit.notes.join("; "));
      assert.ok((s.audit.soldDb ?? 0) > 0, "audited through the remote database");
      assert.equal(s.topology?.mode, "remote");
      assert.deepEqual(
        s.topology?.components.filter((c) => c.sampledBy === "proc").map((c) => c.label),
        ["driver"],
        "only the driver, here, is read from /proc",
      );
      for (const id of Object.keys(nodes))
        assert.ok((s.cpu.maxPercentByProcess[id] ?? 0) > 0, `${id} CPU from /metrics`);
      assert.ok((s.redis?.commands ?? 0) > 0, "Redis sampled remotely");
      assert.ok((s.db.commits ?? 0) > 0, "PostgreSQL sampled remotely");
      // A deployment that does not answer where it was said to be is not benchmarked, and the reason names it.
      const wrong = remoteTarget({ ...urls, nodes: { "node-9": `http://${net.gateway}:9` } });
      const bad = await measure({ ...ctx, dir: join(dir, "bad") }, wrong);
      assert.equal(bad.summary, null);
      assert.match(bad.skipped ?? "", /node-9 http:\/\/10\.77\.\d+\.1:9/);
    } finally {
      await stack.stop();
      net.destroy();
    }
    assert.deepEqual(leftoversOf(process.pid), []);
  });

  it("Ctrl-C during a netns bench removes every namespace and veth it made", async () => {
    const child = spawn(
      process.execPath,
      [join(ROOT, "bin", "statebench.mjs"), "bench", "--hosts", "netns", "--app", "stateful", ...SMALL, "--out", out],
      { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    await new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        if (/hosts: driver 10\.77\./.test(stderr)) resolve();
      });
      exited.then(() => reject(new Error(`bench exited before its hosts were up:\n${stderr}`)));
    });
    assert.ok(leftoversOf(child.pid as number).length > 0, "the run's namespaces exist");
    child.kill("SIGINT");
    assert.notEqual(await exited, 0);
    assert.equal(isAlive(child.pid as number), false);
    assert.deepEqual(leftoversOf(child.pid as number), [], stderr);
  });
});
