import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseBenchOptions } from "../harness/bench/options.ts";
import { runBench, runProblems } from "../harness/bench/run.ts";
import type { AppRunSummary } from "../harness/results/types.ts";
import { writeReport } from "../reporter/index.ts";

// Every field the reporter and the regression job read; a summary missing one is a broken results format.
const FIELDS: Array<keyof AppRunSummary> = [
  "scenario",
  "app",
  "appConfig",
  "driver",
  "window",
  "journeys",
  "requests",
  "throughput",
  "latency",
  "spectrum",
  "errors",
  "bookings",
  "sellOutS",
  "db",
  "redis",
  "journal",
  "cpu",
  "memory",
  "driverHealth",
  "audit",
  "thresholds",
  "faults",
  "warnings",
  "roundTrips",
];

let out: string;
before(async () => {
  out = await mkdtemp(join(tmpdir(), "statebench-e2e-"));
});
after(async () => {
  await rm(out, { recursive: true, force: true });
});

const bench = (runId: string, args: string[]) =>
  runBench(parseBenchOptions([...args, "--profile", "ci", "--out", out, "--run-id", runId, "--no-report"]), () => {});

describe("npm run bench, end to end on real PostgreSQL, Redis and HAProxy", () => {
  for (const app of ["stateless", "stateful"] as const) {
    it(`a small flash sale against the ${app} app passes its audit, with every summary field and file`, async () => {
      const run = await bench(`e2e-${app}`, ["--app", app, "--scenario", "flash-sale"]);
      assert.deepEqual(run.summary.skipped, []);
      const r = run.summary.results[0];
      assert.ok(r, "one result");
      for (const f of FIELDS) assert.notEqual(r[f], undefined, `summary field ${f}`);
      assert.equal(r.audit.valid, true, r.audit.notes.join("; "));
      assert.ok(r.bookings.confirmed > 0, "bookings were confirmed");
      assert.equal(r.audit.acknowledged, r.bookings.confirmed);
      assert.equal(r.audit.soldDb, r.audit.soldApi);
      assert.ok(r.db.statements > 0 && r.db.commits > 0, "the PostgreSQL sampler saw the writes");
      assert.equal(r.redis === null, app === "stateful");
      // The driver runs as a process of its own: the samplers read that process (not the harness's), so they
      // agree with the CPU it measured of itself. Loosely: their windows differ by up to a sampling interval.
      const sampled = r.cpu.secondsByRole.driver ?? 0;
      const own = r.driverHealth.cpuS;
      assert.ok(sampled > 0.5 * own && sampled < 2 * own + 0.2, `sampled driver CPU ${sampled} s, its own ${own} s`);
      assert.ok((r.cpu.secondsByRole.harness ?? 0) > 0, "the harness's own CPU, apart from the driver's");
      const dir = join(run.dir, "flash-sale", app);
      for (const file of ["timeseries.json", "acks.ndjson", "histograms.json"])
        assert.ok(existsSync(join(dir, file)), file);
      const acks = readFileSync(join(dir, "acks.ndjson"), "utf8").trim().split("\n");
      assert.ok(acks.length >= r.bookings.confirmed);
      assert.ok(existsSync(join(run.dir, "environment.json")));
      // The round-trip model of the app as run, and the report's projection of it.
      assert.equal(r.roundTrips?.hold?.lb, 1);
      assert.equal(r.roundTrips?.confirm?.total, app === "stateless" ? 3 : 2);
      const files = await writeReport(run.dir, { rttMs: 1 });
      assert.ok(existsSync(files.html) && existsSync(files.markdown));
      assert.match(readFileSync(files.html, "utf8"), /model p50 at 1 ms RTT/);
    });
  }

  it("catches acknowledged bookings lost by write-behind persistence when a node is killed", async () => {
    // A 1 s group-commit window in async mode leaves about a second of acknowledged events in the killed
    // node's memory: the audit must find them missing after the cold restart.
    const run = await bench("e2e-lost", [
      "--app",
      "stateful",
      "--scenario",
      "node-kill",
      "--persistence",
      "async",
      "--app-env",
      "JOURNAL_WINDOW_MS=1000",
    ]);
    const r = run.summary.results[0];
    assert.ok(r, "one result");
    assert.ok(
      r.faults.some((f) => f.action === "kill-node"),
      "the kill happened",
    );
    assert.equal(r.audit.valid, false);
    assert.ok(r.audit.lost > 0, `lost: ${r.audit.lost}`);
    assert.ok(runProblems(run.summary).some((p) => /audit FAILED/.test(p)));
  });
});
