import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseBenchOptions } from "../harness/bench/options.ts";
import { runBench } from "../harness/bench/run.ts";
import { isAlive } from "../harness/infra/index.ts";
import { writeReport } from "../reporter/index.ts";

/**
 * A busy loop that is not the harness's descendant (started through a shell that exits at once, so it is
 * re-parented): to the harness it is somebody else's work on the machine. It ends by itself after `seconds`.
 */
function outsideBusyLoop(seconds: number): number {
  const code = `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {}`;
  const r = spawnSync("sh", ["-c", `"${process.execPath}" -e '${code}' >/dev/null 2>&1 & echo $!`], {
    encoding: "utf8",
  });
  const pid = Number(r.stdout.trim());
  assert.ok(pid > 0 && isAlive(pid), `busy loop started: ${r.stdout} ${r.stderr}`);
  return pid;
}

let out: string;
before(async () => {
  out = await mkdtemp(join(tmpdir(), "statebench-outside-"));
});
after(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("outside load (real bench, a busy loop beside it)", () => {
  it("is detected, recorded in summary.json and named in the report's banner", async (t) => {
    const pid = outsideBusyLoop(120);
    try {
      const o = parseBenchOptions([
        ...["--app", "stateless", "--scenario", "flash-sale", "--profile", "ci"],
        ...["--out", out, "--run-id", "outside", "--no-report"],
      ]);
      const run = await runBench(o, () => {});
      const r = run.summary.results[0];
      assert.ok(r?.machine, "the machine was measured");
      const m = r.machine;
      t.diagnostic(`machine: ${JSON.stringify(m)}; busy loop pid ${pid}`);
      assert.equal(m.busy, true, JSON.stringify(m));
      // One core of a two-core machine is 50%; it shares that core with the stack, so expect well over 10%.
      assert.ok(m.outsideCpuPercent > 10, `outside ${m.outsideCpuPercent}%`);
      assert.ok(m.outsideCpuPercent <= 100);
      const named = m.busiest.find((p) => p.pid === pid);
      assert.ok(named, `the loop is among the busiest outside processes: ${JSON.stringify(m.busiest)}`);
      for (const pct of Object.values(r.cpu.maxPercentByProcess)) assert.ok(pct <= m.cores * 100, `${pct}%`);
      const saved = JSON.parse(readFileSync(join(run.dir, "summary.json"), "utf8"));
      assert.equal(saved.results[0].machine.busy, true);
      const files = await writeReport(run.dir);
      const html = readFileSync(files.html, "utf8");
      const banner = html.slice(html.indexOf('id="alerts"'), html.indexOf("</section>", html.indexOf('id="alerts"')));
      assert.match(banner, /the machine was busy: [\d.]+% of CPU used outside the stack/);
      assert.ok(banner.includes(`(pid ${pid})`), "the banner names the busy loop");
      assert.match(readFileSync(files.markdown, "utf8"), /the machine was busy/);
    } finally {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already ended
      }
    }
  });
});
