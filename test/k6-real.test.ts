// The k6 path on a REAL k6 (K6_BIN, else ../shared/k6/k6 next to the checkout): statebench's script, options and
// parser as k6 itself runs and writes them. Skipped, saying why, on a machine without k6; `.ci/run` sets K6_BIN
// when the shared copy exists. The fake k6 (k6-run.test.ts) and the shim (k6-script.test.ts) remain only for what
// a real k6 cannot show on demand: a crash, a missing k6, exact iteration counts.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { startReferenceServer } from "../contract/suite/reference-app.ts";
import { parseBenchOptions } from "../harness/bench/options.ts";
import { runBench } from "../harness/bench/run.ts";
import { prepareEvent } from "../harness/driver/index.ts";
import { runK6 } from "../harness/k6/index.ts";
import type { AckRecord } from "../harness/results/types.ts";
import { loadScenario, withOverrides } from "../scenarios/index.ts";
import { realK6 } from "./real-k6.ts";

const k6 = realK6();
let out: string;
before(async () => {
  out = await mkdtemp(join(tmpdir(), "statebench-real-k6-"));
});
after(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("real k6 against the reference app", { skip: k6.skip }, () => {
  it("runs the script, writes every file and the web dashboard, and k6's thresholds decide its exit code", async () => {
    const server = await startReferenceServer();
    try {
      const scenario = withOverrides(loadScenario("flash-sale", "ci"), { seats: 40 });
      // A threshold no run can meet: k6 must judge it broken and exit 99 (results still complete).
      scenario.thresholds = ["errors<1%", "p50<0.001"];
      await prepareEvent({ baseUrl: server.url, eventId: "real", scenario });
      const acks: AckRecord[] = [];
      let startedAt = 0;
      const res = await runK6({
        scenario,
        baseUrl: server.url,
        eventId: "real",
        phase: "measure",
        rateOverride: 20,
        seed: 5,
        runDir: join(out, "reference"),
        k6Bin: k6.bin ?? undefined,
        dashboard: true,
        pollSoldOut: false,
        onStart: (t) => {
          startedAt = t;
        },
        onAck: (a) => acks.push(a),
      });
      assert.ok(startedAt > 0, "setup() called the beacon");
      assert.equal(res.k6.exitCode, 99, readFileSync(res.k6.files.log, "utf8").slice(-2000));
      assert.deepEqual(res.k6.thresholds.map((t) => [t.expr, t.ok]).sort(), [
        ["p(50)<0.001", false],
        ["rate<0.01", true],
      ]);
      assert.ok(res.journeys.started > 20, `${res.journeys.started} journeys`);
      assert.equal(res.journeys.dropped, 0, "a trickle of load never runs out of VUs");
      assert.equal(res.errors.count, 0, JSON.stringify(res.errors));
      const confirmed = acks.filter((a) => a.op === "confirm" && a.type === "ok");
      assert.equal(confirmed.length, res.bookings.confirmed);
      assert.ok(
        acks.every((a) => a.userId.startsWith("m5-") && a.seatId !== ""),
        "ack metadata survived",
      );
      const summary = (await (await fetch(`${server.url}/events/real`)).json()) as { sold: number };
      assert.equal(summary.sold, confirmed.length, "the app sold exactly what k6 was told");
      assert.ok(res.k6.cpuUsPerRequest !== null && res.k6.cpuUsPerRequest > 0, "k6's CPU per request");
      assert.ok(res.k6.vus.preAllocated >= 5 && res.k6.vus.max >= res.k6.vus.preAllocated);
      // The trimmed system tags: no url, method or group on k6's samples, only what the parser reads.
      const points = gunzipSync(readFileSync(res.k6.files.points)).toString("utf8");
      const sample = points
        .split("\n")
        .find(
          (l) =>
            l.includes('"type":"Point"') && l.includes('"http_req_duration"') && l.includes('"scenario":"measured"'),
        );
      assert.ok(sample, "a request sample");
      assert.deepEqual(Object.keys(JSON.parse(sample).data.tags).sort(), ["name", "scenario", "status"]);
      const html = readFileSync(res.k6.files.dashboard ?? "", "utf8");
      assert.match(html.slice(0, 2000), /<html/i, "k6 exported its web dashboard");
    } finally {
      await server.close();
    }
  });
});

describe("npm run bench --driver k6, on a real k6, real PostgreSQL, Redis and HAProxy", { skip: k6.skip }, () => {
  for (const app of ["stateless", "stateful"] as const) {
    it(`a quick flash sale against the ${app} app passes its audit`, async () => {
      const opts = parseBenchOptions([
        ...["--driver", "k6", "--profile", "quick", "--app", app, "--scenario", "flash-sale"],
        ...["--out", out, "--run-id", `k6-${app}`, "--no-report"],
      ]);
      const saved = process.env.K6_BIN;
      process.env.K6_BIN = k6.bin ?? "";
      const run = await runBench(opts, () => {}).finally(() => {
        if (saved === undefined) delete process.env.K6_BIN;
        else process.env.K6_BIN = saved;
      });
      assert.deepEqual(run.summary.skipped, []);
      const r = run.summary.results[0];
      assert.ok(r, "one result");
      const driver = r.driver as unknown;
      assert.equal(typeof driver === "string" ? driver : (driver as { name: string }).name, "k6");
      assert.equal(r.audit.valid, true, r.audit.notes.join("; "));
      assert.ok(r.bookings.confirmed > 0, "bookings were confirmed");
      assert.equal(r.audit.acknowledged, r.bookings.confirmed);
      assert.equal(r.audit.soldDb, r.audit.soldApi);
      // Dropped journeys are possible on a shared machine; when there are any, the summary must say so.
      if (r.journeys.dropped > 0)
        assert.ok(
          r.warnings.some((w) => /dropped/.test(w)),
          `dropped ${r.journeys.dropped}, warnings say so`,
        );
      const dir = join(run.dir, "flash-sale", app);
      for (const file of ["acks.ndjson", "k6-measure/points.ndjson.gz", "k6-measure/summary-export.json"])
        assert.ok(existsSync(join(dir, file)), file);
      const k6Log = readFileSync(join(dir, "k6-measure", "k6.log"), "utf8");
      assert.match(k6Log, /measured/, "k6 ran the measured scenario");
    });
  }
});
