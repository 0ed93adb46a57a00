import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { driverName, runSide } from "./interleave.ts";

// A checkout whose "harness" burns CPU in a child of its own for a while (its own work, not outside load) and
// writes a summary.json in the format of the baseline commit (driver a string, no machine field).
const FAKE_BIN = `
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
const arg = (f) => process.argv[process.argv.indexOf(f) + 1];
const started = Date.now();
const own = spawn(process.execPath, ["-e", "const e = Date.now() + 1500; while (Date.now() < e) {}"]);
await new Promise((r) => setTimeout(r, 2500));
own.kill();
if (process.env.FAKE_NO_SUMMARY) process.exit(3);
const dir = join(arg("--out"), arg("--run-id"));
mkdirSync(dir, { recursive: true });
const result = { scenario: "flash-sale", app: "stateless", driver: "embedded",
  window: { startedAt: new Date(started + 300).toISOString(), durationS: 2 } };
writeFileSync(join(dir, "summary.json"), JSON.stringify({ environment: { knobs: {} }, results: [result] }));
`;

const root = mkdtempSync(join(tmpdir(), "statebench-fake-checkout-"));
mkdirSync(join(root, "bin"));
writeFileSync(join(root, "bin", "statebench.mjs"), FAKE_BIN);
after(() => rmSync(root, { recursive: true, force: true }));

/** A busy loop re-parented away from this process: somebody else's work. Ends by itself. */
function outsideLoop(seconds: number): number {
  const code = `const e = Date.now() + ${seconds * 1000}; while (Date.now() < e) {}`;
  const r = spawnSync("sh", ["-c", `"${process.execPath}" -e '${code}' >/dev/null 2>&1 & echo $!`], {
    encoding: "utf8",
  });
  return Number(r.stdout.trim());
}

describe("one side of the interleaved job (a fake checkout)", () => {
  it("runs that checkout's own harness, reads its old-format summary and measures outside load per window", async () => {
    const pid = outsideLoop(30);
    try {
      const r = await runSide({ dir: root, runId: "baseline-1", outDir: join(root, "out"), scenarios: "flash-sale" });
      assert.equal(r.error, null);
      assert.equal(r.summary?.results.length, 1);
      assert.deepEqual(r.summary?.skipped, [], "fields the old format lacks are filled");
      assert.equal(driverName(r.summary?.results[0] as { driver: unknown }), "embedded");
      assert.equal(driverName({ driver: { name: "k6", cpuUsPerRequest: 40 } }), "k6");
      const outside = r.outsidePercent["flash-sale/stateless"];
      assert.ok(outside !== null && outside !== undefined && outside > 10, `outside load ${outside}%`);
    } finally {
      process.kill(pid, "SIGKILL");
    }
  });

  it("says why when the harness wrote no summary", async () => {
    process.env.FAKE_NO_SUMMARY = "1";
    try {
      const r = await runSide({ dir: root, runId: "candidate-1", outDir: join(root, "out"), scenarios: "flash-sale" });
      assert.equal(r.summary, null);
      assert.match(r.error ?? "", /no summary \(exit 3\)/);
    } finally {
      delete process.env.FAKE_NO_SUMMARY;
    }
  });
});
