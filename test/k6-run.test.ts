// runK6 against a FAKE `k6` executable that writes the recorded k6 v0.48 output files as k6 would: for what a real
// k6 cannot show on demand (no k6 at all, a crashing k6, the exact argv and environment it was given, an older
// k6's output). The real k6 end to end is in k6-real.test.ts.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { findK6, K6NotFoundError, runK6 } from "../harness/k6/index.ts";
import { loadScenario, scenarioFromJson } from "../scenarios/index.ts";

const fixtures = new URL("./fixtures/k6/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "statebench-fake-k6-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Writes a fake `k6` (a Node script) that records its argv and environment, calls the beacon the script's
 * setup() would call, and writes the recorded fixture as its `--out json` and `--summary-export` files (the
 * recording's k6 scenario "flash" renamed to statebench's "measured").
 */
function fakeK6(binDir: string, behaviour: "ok" | "crash"): string {
  const path = join(binDir, "k6");
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require("node:fs"), zlib = require("node:zlib"), http = require("node:http");
const args = process.argv.slice(2);
fs.writeFileSync(${JSON.stringify(join(binDir, "calls.json"))}, JSON.stringify({ args, env: process.env }));
if (${JSON.stringify(behaviour)} === "crash") {
  console.error("ERRO[0000] SyntaxError: bad script at file:///script.js:1:1");
  process.exit(107);
}
const out = args[args.indexOf("--out") + 1].slice("json=".length);
const summary = args.find((a) => a.startsWith("--summary-export=")).slice("--summary-export=".length);
const points = zlib.gunzipSync(fs.readFileSync(${JSON.stringify(join(fixtures, "points.ndjson.gz"))})).toString();
http.get(process.env.STATEBENCH_BEACON, (res) => {
  res.resume();
  fs.writeFileSync(out, zlib.gzipSync(points.replaceAll('"scenario":"flash"', '"scenario":"measured"')));
  fs.writeFileSync(summary, zlib.gunzipSync(fs.readFileSync(${JSON.stringify(join(fixtures, "summary-export.json.gz"))})));
  console.log("running (04.0s), 00/20 VUs, 310 complete and 0 interrupted iterations");
});
`,
  );
  chmodSync(path, 0o755);
  return path;
}

async function withEnv<T>(patch: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved: Record<string, string | undefined> = {};
  for (const k of Object.keys(patch)) {
    saved[k] = process.env[k];
    if (patch[k] === undefined) delete process.env[k];
    else process.env[k] = patch[k];
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const base = { scenario: loadScenario("flash-sale", "ci"), baseUrl: "http://127.0.0.1:9", eventId: "e1" } as const;

describe("runK6 with a fake k6 executable (what a real k6 cannot show on demand)", () => {
  it("says how to get k6 when there is none on an empty PATH", async () => {
    assert.throws(
      () => findK6(undefined, { PATH: "" }),
      (err: Error) => {
        assert.ok(err instanceof K6NotFoundError);
        assert.match(
          err.message,
          /^k6 not found: install it \(https:\/\/grafana\.com\/docs\/k6\/latest\/set-up\/install-k6\//,
        );
        assert.match(err.message, /xk6 build/);
        assert.match(err.message, /set K6_BIN/);
        return true;
      },
    );
    await withEnv({ PATH: "", K6_BIN: undefined }, () =>
      assert.rejects(runK6({ ...base, phase: "measure", runDir: join(dir, "missing") }), K6NotFoundError),
    );
    assert.throws(() => findK6(undefined, { K6_BIN: join(dir, "nothing-here") }), /K6_BIN=.*not an executable/);
  });

  it("runs the fake k6 with statebench's script, env and files, and reads its output into a DriverResult", async () => {
    const binDir = mkdtempSync(join(dir, "bin-"));
    fakeK6(binDir, "ok");
    const runDir = join(dir, "run-ok");
    let startedAt: number | null = null;
    let spawned: number | null = null;
    const seconds: number[] = [];
    const res = await withEnv({ PATH: `${binDir}:/usr/bin:/bin`, K6_BIN: undefined }, () =>
      runK6({
        ...base,
        phase: "measure",
        runDir,
        seed: 42,
        rateOverride: 60,
        pollSoldOut: false,
        onStart: (t) => {
          startedAt = t;
        },
        onSpawn: (pid) => {
          spawned = pid;
        },
        onSecond: (s) => seconds.push(s.requests),
      }),
    );
    const calls = JSON.parse(readFileSync(join(binDir, "calls.json"), "utf8")) as {
      args: string[];
      env: Record<string, string>;
    };
    assert.equal(calls.args[0], "run");
    assert.ok(calls.args.at(-1)?.endsWith("scenarios/k6/script.js"));
    assert.ok(calls.args.includes(`json=${join(runDir, "points.ndjson.gz")}`));
    assert.ok(calls.args.includes(`--summary-export=${join(runDir, "summary-export.json")}`));
    assert.equal(calls.env.PHASE, "measure");
    assert.equal(calls.env.EVENT_ID, "e1");
    assert.equal(calls.env.RUN_SEED, "42");
    assert.equal(calls.env.K6_NO_USAGE_REPORT, "true");
    // The scenario k6 reads is valid scenario JSON with the phase's rates rescaled to the override's peak.
    const written = scenarioFromJson(readFileSync(calls.env.SCENARIO_FILE as string, "utf8"));
    assert.equal(Math.max(...written.arrival.stages.map((s) => s.target)), 60);

    assert.ok(startedAt !== null && spawned !== null, "onStart (beacon) and onSpawn were called");
    assert.equal(res.k6.exitCode, 0);
    assert.deepEqual(
      res.k6.thresholds.map((t) => t.ok),
      [true, true],
    );
    assert.equal(res.phase, "measure");
    assert.equal(res.seed, 42);
    assert.equal(res.requests.total, 620);
    assert.deepEqual(res.requests.byStatus, { "200": 310, "201": 207, "409": 103 });
    assert.equal(res.window.endedBy, "schedule");
    assert.deepEqual(seconds, res.series.requestsPerS);
    assert.equal(
      seconds.reduce((a, b) => a + b, 0),
      620,
    );
    assert.ok(res.latency.p99 > 0 && res.latency.p99 < 5, `p99 ${res.latency.p99} ms`);
    assert.ok(existsSync(res.k6.files.log));
    assert.match(readFileSync(res.k6.files.log, "utf8"), /310 complete/);
  });

  it("does not start k6 for a phase with nothing to run (a scenario without warm-up)", async () => {
    const binDir = mkdtempSync(join(dir, "bin-"));
    const scenario = structuredClone(base.scenario);
    scenario.arrival.warmupS = 0;
    const res = await runK6({
      ...base,
      scenario,
      phase: "warmup",
      runDir: join(dir, "run-nothing"),
      k6Bin: fakeK6(binDir, "ok"),
    });
    assert.equal(existsSync(join(binDir, "calls.json")), false, "k6 was not run");
    assert.equal(res.requests.total, 0);
    assert.equal(res.k6.exitCode, null);
  });

  it("reports k6's failure with its exit code and the end of its log", async () => {
    const binDir = mkdtempSync(join(dir, "bin-"));
    fakeK6(binDir, "crash");
    await withEnv({ K6_BIN: join(binDir, "k6") }, () =>
      assert.rejects(
        runK6({ ...base, phase: "measure", runDir: join(dir, "run-crash"), pollSoldOut: false }),
        /k6 exited with 107[\s\S]*SyntaxError: bad script/,
      ),
    );
  });
});
