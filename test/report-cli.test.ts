// `statebench report` end to end on the fixture runs: the files it writes, that the HTML is self-contained, and
// the errors it gives for bad arguments (each naming the flag or the path).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { RunSummary } from "../harness/results/types.ts";
import { METRICS, runReportCli } from "../reporter/index.ts";
import { copyFixture, FIXTURES, TEST_OUTPUT } from "./fixtures/index.ts";

/** Runs the CLI with stdout/stderr captured. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [wo, we] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((s: string) => out.push(String(s)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(String(s)) > 0) as typeof process.stderr.write;
  try {
    const code = await runReportCli(argv);
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    process.stdout.write = wo;
    process.stderr.write = we;
  }
}

describe("statebench report <run-dir>", () => {
  test("writes a self-contained report.html and summary.md into the run folder", async () => {
    const dir = copyFixture(FIXTURES.small, "cli-small");
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;
    const { code, out } = await cli(["report", dir]);
    assert.equal(code, 0);
    assert.ok(out.includes(join(dir, "report.html")));
    const html = readFileSync(join(dir, "report.html"), "utf8");
    const md = readFileSync(join(dir, "summary.md"), "utf8");
    // No external resource: no scripts, no stylesheets, no remote images or fonts.
    assert.doesNotMatch(html, /<script|<link|src="(?!data:)|url\((?!data:)|@import/i);
    assert.match(html, /<style>/);
    const scenarios = new Set(summary.results.map((r) => r.scenario));
    assert.equal(html.match(/<table class="verdict-table"/g)?.length, scenarios.size);
    for (const m of METRICS) assert.ok(html.includes(m.label), `metric ${m.label} in the HTML`);
    assert.ok(html.includes(summary.environment.runId));
    for (const s of scenarios) assert.ok(md.includes(`### ${s}`));
  });

  test("accepts argv without the leading subcommand (as harness/cli passes it)", async () => {
    const dir = copyFixture(FIXTURES.failed, "cli-failed");
    assert.equal((await cli([dir])).code, 0);
    assert.ok(existsSync(join(dir, "report.html")));
  });

  test("a missing folder or one without summary.json is an error naming the path", async () => {
    const missing = join(TEST_OUTPUT, "no-such-run");
    let r = await cli([missing]);
    assert.equal(r.code, 1);
    assert.match(r.err, /run folder not found: .*no-such-run/);
    const empty = join(TEST_OUTPUT, "cli-empty-run");
    rmSync(empty, { recursive: true, force: true });
    mkdirSync(empty, { recursive: true });
    r = await cli([empty]);
    assert.equal(r.code, 1);
    assert.match(r.err, /no summary\.json in .*cli-empty-run/);
  });

  test("usage errors name the argument or flag and exit 2", async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /missing <run-dir>/],
      [["--compare", "a"], /--compare needs two run folders/],
      [["--compare", "a", "b", "--out"], /--out needs a folder/],
      [["--frobnicate", "x"], /unknown flag --frobnicate/],
      [["a", "b"], /one <run-dir> expected/],
      [["a", "--out", "x"], /--out applies to --compare only/],
      [["a", "--rtt-ms", "fast"], /--rtt-ms: expected a round-trip time in ms/],
      [["a", "--rtt-ms"], /--rtt-ms: expected a round-trip time in ms/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.err, message);
      assert.match(r.err, /usage:/);
    }
    assert.equal((await cli(["--help"])).code, 0);
  });
});

test("statebench report --compare <runA> <runB> --out <dir>", async () => {
  const a = copyFixture(FIXTURES.small, "cli-cmp-a");
  const b = copyFixture(FIXTURES.failed, "cli-cmp-b");
  const out = join(TEST_OUTPUT, "cli-cmp-out");
  rmSync(out, { recursive: true, force: true });
  const r = await cli(["--compare", a, b, "--out", out]);
  assert.equal(r.code, 0, r.err);
  const html = readFileSync(join(out, "report.html"), "utf8");
  const summaryB = JSON.parse(readFileSync(join(b, "summary.json"), "utf8")) as RunSummary;
  // One table per scenario x app present in either run.
  const pairs = new Set(summaryB.results.map((x) => `${x.scenario}-${x.app}`));
  assert.equal(html.match(/<table class="verdict-table"/g)?.length, pairs.size);
  assert.ok(existsSync(join(out, "summary.md")));
  // Without --out the comparison goes next to run B.
  assert.equal((await cli(["--compare", a, b])).code, 0);
  assert.ok(existsSync(join(b, "compare-cli-cmp-a", "report.html")));
});
