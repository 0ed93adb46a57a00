import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { RunSummary } from "../harness/results/types.ts";
import { FIXTURES } from "../test/fixtures/index.ts";
import { CLAIMS } from "./claims-catalog.ts";
import { buildCompareMarkdown, buildSummaryMarkdown } from "./markdown.ts";
import { METRICS } from "./verdict.ts";

const load = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;

/** The `### <scenario>` table of a Markdown document: its body rows. */
function tableRows(md: string, heading: string): string[] {
  const start = md.indexOf(`### ${heading}\n`);
  assert.ok(start >= 0, `table ${heading} present`);
  const lines = md.slice(start).split("\n").slice(1);
  const rows: string[] = [];
  for (const line of lines.slice(3)) {
    if (!line.startsWith("|")) break;
    rows.push(line);
  }
  return rows;
}

for (const [name, dir] of Object.entries(FIXTURES)) {
  test(`summary.md of ${name}: a table per scenario, a row per metric, failures first`, () => {
    const summary = load(dir);
    const md = buildSummaryMarkdown(summary);
    for (const scenario of new Set(summary.results.map((r) => r.scenario))) {
      const rows = tableRows(md, scenario);
      assert.equal(rows.length, METRICS.length);
      for (const [i, m] of METRICS.entries()) {
        assert.ok(rows[i]?.startsWith(`| ${m.label}`), `${scenario} row ${i} is ${m.label}`);
      }
      // The p99 cells carry the raw numbers of both apps.
      const sl = summary.results.find((r) => r.scenario === scenario && r.app === "stateless");
      const sf = summary.results.find((r) => r.scenario === scenario && r.app === "stateful");
      const p99 = rows.find((r) => r.startsWith("| Latency p99 "));
      if (sl && sf && p99) {
        const cells = p99.split("|").map((c) => c.replace(/\*\*|▲/g, "").trim());
        // Shown rounded to a few significant digits: within 1% of the raw value.
        const near = (cell: string | undefined, raw: number) =>
          Math.abs(Number(cell?.replace(/,/g, "")) - raw) <= 0.01 * Math.abs(raw);
        assert.ok(near(cells[2], sl.latency.p99), `stateless p99 ${cells[2]} vs ${sl.latency.p99}`);
        assert.ok(near(cells[3], sf.latency.p99), `stateful p99 ${cells[3]} vs ${sf.latency.p99}`);
      }
    }
    const failed = summary.results.some(
      (r) => r.audit.valid !== true || !r.driverHealth.keptSchedule || r.thresholds.some((t) => !t.ok),
    );
    assert.equal(md.includes("[!CAUTION]"), failed, "caution block iff something failed");
    if (failed) assert.ok(md.indexOf("[!CAUTION]") < md.indexOf("### "), "failures come before the tables");
    for (const c of CLAIMS) assert.ok(md.includes(c.headline), `claim ${c.id} listed`);
    assert.ok(md.includes(summary.environment.command.slice(0, 2).join(" ")), "the command line is given");
  });
}

test("the compare Markdown pairs each scenario x app of the two runs", () => {
  const a = load(FIXTURES.small);
  const b = load(FIXTURES.failed);
  const md = buildCompareMarkdown(a, b);
  for (const r of b.results) tableRows(md, `${r.scenario} · ${r.app}`);
  assert.ok(md.includes(`A = ${a.environment.runId} (before), B = ${b.environment.runId} (after)`));
});
