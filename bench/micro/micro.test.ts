import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { isAlive } from "../../harness/infra/index.ts";
import type { MicroCase } from "./case.ts";
import { parseMicroArgs } from "./options.ts";
import type { MicroReport } from "./report.ts";
import { runMicro } from "./run.ts";

const root = new URL("../..", import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), "micro-test-"));
after(() => rmSync(out, { recursive: true, force: true }));

function bench(args: string[]) {
  // Private servers, never a developer's DATABASE_URL / REDIS_URL.
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...env } = process.env;
  return spawnSync(process.execPath, ["--import", "tsx", "bench/micro/index.ts", ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 50_000,
  });
}

describe("npm run bench:micro", () => {
  it("runs two cases in quick mode: a table on stdout, the JSON file, and its Redis stopped", () => {
    const run = bench(["--quick", "--case", "actor-mailbox", "--case", "redis-claim", "--out", out]);
    assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
    const files = readdirSync(out).filter((f) => /^micro-.*\.json$/.test(f));
    assert.equal(files.length, 1, `files in ${out}: ${files.join(", ")}`);
    const report = JSON.parse(readFileSync(join(out, files[0] ?? ""), "utf8")) as MicroReport;
    assert.equal(report.quick, true);
    assert.deepEqual([...new Set(report.rows.map((r) => r.case))], ["actor-mailbox", "redis-claim"]);
    assert.ok(report.rows.length >= 4, `rows: ${report.rows.map((r) => r.task).join(", ")}`);
    for (const row of report.rows) {
      const label = `${row.case} / ${row.task}`;
      assert.equal(row.error, undefined, `${label} failed: ${row.error}`);
      assert.ok(row.opsPerSec > 0, `${label}: ops/s ${row.opsPerSec}`);
      assert.ok(row.samples > 0, `${label}: samples ${row.samples}`);
      assert.ok(Number.isFinite(row.rmePct) && row.rmePct >= 0, `${label}: margin ${row.rmePct}`);
      assert.ok(row.p99Ms > 0, `${label}: p99 ${row.p99Ms}`);
      assert.match(run.stdout, new RegExp(`${row.case} / ${row.task.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} +\\|`));
    }
    // The script really ran as EVALSHA, once per measured or warmup claim.
    const redisFacts = report.facts["redis-claim"] ?? {};
    assert.ok(Number(redisFacts.evalshaCalls) > 0, JSON.stringify(redisFacts));
    const redis = report.processes.find((p) => p.kind === "redis");
    assert.ok(redis?.pid, `no private redis recorded: ${JSON.stringify(report.processes)}`);
    assert.equal(isAlive(redis.pid), false, `redis ${redis.pid} still running after the run`);
  });

  it("reports a case that fails during setup, still runs the next one, and releases what the failed one opened", async () => {
    const cleaned: string[] = [];
    const broken: MicroCase = {
      id: "broken",
      about: "starts Redis, then fails",
      async setup(env) {
        await env.redisUrl();
        env.defer(() => cleaned.push("broken"));
        throw new Error("planted setup failure");
      },
    };
    const tiny: MicroCase = {
      id: "tiny",
      about: "one event-loop turn",
      async setup(env) {
        env.defer(() => cleaned.push("tiny"));
        let n = 0;
        const turn = () => new Promise<void>((resolve) => setImmediate(() => resolve(void n++)));
        return { tasks: [{ name: "setImmediate", fn: turn }], facts: () => ({ n }) };
      },
    };
    const savedRedisUrl = process.env.REDIS_URL;
    delete process.env.REDIS_URL;
    try {
      const report = await runMicro({ quick: true, cases: [], outDir: out }, { log: () => {}, cases: [broken, tiny] });
      assert.deepEqual(
        report.rows.map((r) => [r.case, r.state]),
        [
          ["broken", "setup-failed"],
          ["tiny", "completed"],
        ],
      );
      assert.match(report.rows[0]?.error ?? "", /planted setup failure/);
      assert.ok((report.rows[1]?.opsPerSec ?? 0) > 0);
      assert.deepEqual(cleaned, ["broken", "tiny"]);
      const redis = report.processes.find((p) => p.kind === "redis");
      assert.ok(redis?.pid, JSON.stringify(report.processes));
      assert.equal(isAlive(redis.pid), false, `redis ${redis.pid} still running after a failed case`);
    } finally {
      if (savedRedisUrl !== undefined) process.env.REDIS_URL = savedRedisUrl;
    }
  });

  it("refuses an unknown argument and a case filter that matches nothing", () => {
    assert.throws(() => parseMicroArgs(["--fast"]), /unknown argument --fast/);
    assert.throws(() => parseMicroArgs(["--case"]), /--case needs a value/);
    const run = bench(["--quick", "--case", "no-such-case", "--out", out]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /no case matches no-such-case; cases: actor-mailbox, /);
  });
});
