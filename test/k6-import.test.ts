// `statebench import-k6`: the k6 output of a distributed run (several pods, each an execution segment) becomes a
// run folder the reporter renders. The recorded k6 v0.48 run (test/fixtures/k6) is split into two "pods",
// sample by sample, as two k6 instances would have written it: the import must count what the single stream
// counts, and the report must render.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { findPointFiles } from "../harness/k6/import.ts";
import { runImportK6Cli } from "../harness/k6/import-cli.ts";
import { parseK6Ndjson } from "../harness/k6/parse.ts";
import type { RunSummary } from "../harness/results/types.ts";

const fixture = new URL("./fixtures/k6/points.ndjson.gz", import.meta.url);
const root = mkdtempSync(join(tmpdir(), "statebench-import-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** The fixture's stream as the measured scenario of two pods: Metric lines in both, Points alternating. */
function splitIntoPods(runFolder: string): string {
  const lines = gunzipSync(readFileSync(fixture))
    .toString("utf8")
    .replaceAll('"scenario":"flash"', '"scenario":"measured"')
    .split("\n")
    .filter(Boolean);
  const pods: string[][] = [[], []];
  let n = 0;
  for (const line of lines) {
    if (line.startsWith('{"type":"Metric"')) for (const p of pods) p.push(line);
    else pods[n++ % 2]?.push(line);
  }
  const k6 = join(runFolder, "k6");
  pods.forEach((p, i) => {
    mkdirSync(join(k6, `run-r1-${i}-abcde`), { recursive: true });
    writeFileSync(join(k6, `run-r1-${i}-abcde`, "points.ndjson.gz"), gzipSync(`${p.join("\n")}\n`));
  });
  return lines.join("\n");
}

describe("statebench import-k6", () => {
  it("merges the pods' streams into one run folder whose report renders", async () => {
    const runFolder = join(root, "k8s-r1");
    const whole = splitIntoPods(runFolder);
    writeFileSync(
      join(runFolder, "run.json"),
      JSON.stringify({
        app: "stateful",
        runId: "r1",
        scenario: "flash-sale",
        profile: "quick",
        overrides: {},
        seed: 7,
        parallelism: 2,
      }),
    );
    assert.equal(findPointFiles(join(runFolder, "k6")).length, 2);
    const out = join(root, "results");
    assert.equal(await runImportK6Cli([runFolder, "--out-dir", out]), 0);

    const dir = join(out, "r1");
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;
    const single = await parseK6Ndjson([whole], { scenario: "measured" });
    const [r] = summary.results;
    assert.ok(r);
    assert.equal(r.app, "stateful");
    assert.equal(r.driver.name, "k6");
    assert.equal(r.requests.total, single.requests.time.length);
    assert.equal(r.requests.total, 620);
    assert.deepEqual(r.requests.byStatus, { "200": 310, "201": 207, "409": 103 });
    // Not audited without a target: said so, never a silent pass.
    assert.equal(r.audit.valid, "unknown");
    assert.match(r.audit.notes.join(" "), /--target/);
    assert.match(summary.warnings.join(" "), /2 k6 pod\(s\)/);
    assert.equal(summary.environment.knobs.k6Pods, 2);
    for (const f of [
      "environment.json",
      "report.html",
      "summary.md",
      "flash-sale/stateful/timeseries.json",
      "flash-sale/stateful/histograms.json",
      "flash-sale/stateful/acks.ndjson",
    ])
      assert.ok(existsSync(join(dir, f)), f);
    assert.ok(existsSync(join(dir, "flash-sale/stateful/k6/run-r1-0-abcde-points.ndjson.gz")));
  });

  it("says what is missing", async () => {
    assert.equal(await runImportK6Cli(["--k6-dir", root]), 2);
    const empty = join(root, "empty");
    mkdirSync(empty);
    assert.equal(
      await runImportK6Cli(["--k6-dir", empty, "--app", "stateless", "--run-id", "x", "--out-dir", join(root, "o")]),
      1,
    );
  });
});
