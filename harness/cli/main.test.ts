import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import type { CliIo } from "./io.ts";
import { main } from "./main.ts";

const BIN = join(import.meta.dirname, "..", "..", "bin", "statebench.mjs");

/** Runs the real `statebench` command. */
function statebench(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** In-process run with captured output. */
async function run(argv: string[], extra: Partial<CliIo> = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => {
    out += d;
  });
  stderr.on("data", (d) => {
    err += d;
  });
  const code = await main(argv, { stdin: new PassThrough(), stdout, stderr, ...extra });
  return { code, out, err };
}

describe("statebench CLI", () => {
  it("--help lists the commands (through bin/statebench.mjs)", () => {
    const r = statebench("--help");
    assert.equal(r.code, 0);
    for (const cmd of ["up", "bench", "report", "bench-ci"]) assert.match(r.stdout, new RegExp(`^  ${cmd} `, "m"));
  });

  it("up --help lists the flags and stdin commands", async () => {
    const r = await run(["up", "--help"]);
    assert.equal(r.code, 0);
    for (const flag of ["--app", "--nodes", "--node-cpu", "--workers", "--write-mode", "--persistence"]) {
      assert.ok(r.out.includes(flag), flag);
    }
    assert.match(r.out, /kill-node ID/);
  });

  it("rejects an unknown command with exit 2", () => {
    const r = statebench("frobnicate");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "frobnicate"/);
  });

  it("rejects no command with the help on stderr and exit 2", async () => {
    const r = await run([]);
    assert.equal(r.code, 2);
    assert.match(r.err, /Usage: statebench <command>/);
  });

  it("rejects an unknown flag naming it, exit 2", async () => {
    const r = await run(["up", "--app", "stateful", "--nodez", "3"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--nodez/);
    const top = await run(["--frob"]);
    assert.equal(top.code, 2);
    assert.match(top.err, /unknown flag "--frob"/);
  });

  it("rejects bad flag values naming the flag", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["up"], /--app is required/],
      [["up", "--app", "statefull"], /--app must be stateless or stateful/],
      [["up", "--app", "stateful", "--nodes", "0"], /--nodes must be an integer >= 1/],
      [["up", "--app", "stateful", "--node-cpu", "0"], /--node-cpu must be a number of cores > 0/],
      [["up", "--app", "stateful", "--write-mode", "sync"], /--write-mode applies to the stateless app only/],
      [["up", "--app", "stateless", "--persistence", "async"], /--persistence applies to the stateful app only/],
      [["up", "--app", "stateful", "--persistence", "fast"], /--persistence must be sync or async/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      assert.equal(r.code, 2, argv.join(" "));
      assert.match(r.err, message);
    }
  });

  it("up fails with a clear message naming the missing app entry", async () => {
    const root = mkdtempSync(join(tmpdir(), "statebench-empty-"));
    try {
      const r = await run(["up", "--app", "stateful", "--nodes", "3"], { root });
      assert.equal(r.code, 1);
      assert.match(r.err, /statebench up: stateful-app\/main\.ts is not built yet/);
      assert.equal(r.out, "");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("a delegated command that is missing says so with exit 2", async () => {
    const { DELEGATED } = await import("./delegate.ts");
    const saved = DELEGATED.bench;
    DELEGATED.bench = { module: "./does-not-exist.ts", exportName: "runBenchCli" };
    try {
      const r = await run(["bench"]);
      assert.equal(r.code, 2);
      assert.match(r.err, /^statebench bench: not built yet/);
    } finally {
      if (saved) DELEGATED.bench = saved;
    }
  });
});
