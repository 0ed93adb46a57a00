import assert from "node:assert/strict";
import { test } from "node:test";
import { FIXTURES } from "../test/fixtures/index.ts";
import { collectAlerts } from "./alerts.ts";
import { loadRun } from "./load.ts";
import { singleRunView } from "./view.ts";

test("failures come first, then findings, and name the scenario and app: audit, driver schedule; thresholds", () => {
  const run = loadRun(FIXTURES.failed);
  const alerts = collectAlerts(singleRunView(run));
  const rank = { fail: 0, finding: 1, warn: 2 } as const;
  assert.ok(alerts.every((a, i) => i === 0 || rank[(alerts[i - 1] as typeof a).level] <= rank[a.level]));
  for (const r of run.summary.results) {
    const scope = `${r.scenario} · ${r.app}`;
    const mine = alerts.filter((a) => a.level === "fail" && a.scope === scope);
    assert.equal(
      mine.some((a) => a.message.startsWith("audit FAILED")),
      r.audit.valid === false,
    );
    // A broken threshold is a finding about the app, not a reason to distrust the run.
    assert.equal(
      alerts.filter((a) => a.level === "finding" && a.scope === scope && a.message.startsWith("threshold broken"))
        .length,
      r.thresholds.filter((t) => !t.ok).length,
    );
    assert.equal(
      mine.some((a) => a.message.startsWith("driver could not keep")),
      !r.driverHealth.keptSchedule,
    );
  }
  for (const w of run.summary.warnings) assert.ok(alerts.some((a) => a.level === "warn" && a.message === w));
});

test("skipped apps, failed fault injection and a saturated quota are reported", () => {
  const run = loadRun(FIXTURES.small);
  const r = run.summary.results[0];
  assert.ok(r);
  run.summary.skipped.push({ scenario: r.scenario, app: "stateful", reason: "contract verification: 500 on hold" });
  r.faults.push({ atS: 3, action: "kill-node-failed", detail: "kill-node failed: no such node" });
  r.appConfig.nodeCpu = 0.5;
  r.warnings = [];
  r.cpu.maxPercentByProcess = { "node-1": 49, "node-2": 20, postgres: 49 };
  const alerts = collectAlerts(singleRunView(run));
  assert.ok(alerts.some((a) => a.level === "fail" && a.message.includes("not benchmarked")));
  assert.ok(alerts.some((a) => a.level === "fail" && a.message.startsWith("fault not injected")));
  const cpu = alerts.filter((a) => a.scope === `${r.scenario} · ${r.app}` && a.message.includes("% CPU"));
  assert.deepEqual(
    cpu.map((a) => a.message.split(" ")[0]),
    ["node-1"],
    "49% is saturated under a 0.5-core quota; postgres at 49% of a core is not",
  );
});

test("a busy machine is flagged in the banner, naming the busiest outside process; old summaries without it are fine", async () => {
  const { bannerHtml } = await import("./html/banner.ts");
  const run = loadRun(FIXTURES.small);
  const [r, quiet] = run.summary.results;
  assert.ok(r && quiet);
  assert.equal(r.machine, undefined, "the fixture predates the machine field");
  assert.equal(
    collectAlerts(singleRunView(run)).some((a) => a.message.includes("machine was busy")),
    false,
  );
  r.machine = {
    cores: 2,
    outsideCpuPercent: 38.4,
    stealPercent: 0,
    busy: true,
    busiest: [{ pid: 4242, command: "cc1plus -O2 big.cpp", cpuPercent: 71.5 }],
  };
  quiet.machine = { cores: 2, outsideCpuPercent: 3.1, stealPercent: 0, busy: false, busiest: [] };
  const alerts = collectAlerts(singleRunView(run));
  const busy = alerts.filter((a) => a.message.includes("machine was busy"));
  assert.equal(busy.length, 1, "only the busy window is flagged");
  assert.equal(busy[0]?.scope, `${r.scenario} · ${r.app}`);
  const html = bannerHtml(alerts);
  assert.match(
    html,
    /the machine was busy: 38\.4% of CPU used outside the stack \(busiest: cc1plus -O2 big\.cpp \(pid 4242\) 71\.5% of a core\)/,
  );
});

test("failover 503s (unavailable) are a finding of their own, not load shed", () => {
  const run = loadRun(FIXTURES.small);
  const r = run.summary.results[0];
  assert.ok(r);
  r.shed = { requests: 0, rate: 0 };
  r.unavailable = { requests: 18, rate: 0.0012 };
  const mine = collectAlerts(singleRunView(run)).filter((a) => a.scope === `${r.scenario} · ${r.app}`);
  assert.ok(
    mine.some((a) => a.level === "finding" && /^unavailable: 18 requests answered 503 unavailable/.test(a.message)),
  );
  assert.ok(!mine.some((a) => /overloaded: shed/.test(a.message)), "no shed finding for failover answers");
});

test("an overloaded app's shed load is a finding with its goodput; the banner stays trustworthy", async () => {
  const { bannerHtml } = await import("./html/banner.ts");
  const run = loadRun(FIXTURES.small);
  const r = run.summary.results[0];
  assert.ok(r);
  r.shed = { requests: 4200, rate: 0.35 };
  r.goodputPerS = 812;
  r.thresholds = [{ expr: "errors<1%", ok: false, actual: 0.35, setBy: "scenario" }];
  const alerts = collectAlerts(singleRunView(run));
  assert.equal(alerts.filter((a) => a.level === "fail").length, 0);
  const mine = alerts.filter((a) => a.level === "finding" && a.scope === `${r.scenario} · ${r.app}`);
  assert.ok(
    mine.some((a) => /shed 4,200 requests with 503 \(35\.0% of answers\); goodput 812 answers\/s/.test(a.message)),
  );
  assert.ok(mine.some((a) => /threshold broken: errors<1% .*the scenario's/.test(a.message)));
  const html = bannerHtml(alerts);
  assert.match(html, /id="banner-finding"/);
  assert.doesNotMatch(html, /banner-fail/);
});
