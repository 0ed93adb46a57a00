import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { goneLauncher, launcherChain } from "./launchers.ts";

const MODULE = join(import.meta.dirname, "launchers.ts");
const PRINT = `import(${JSON.stringify(MODULE)}).then((m) => console.log(JSON.stringify(m.launcherChain())))`;

/** The launcher chain as a process started by `argv` sees it. */
function chainSeenBy(argv: string[]): Array<{ command: string }> {
  const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string);
}

describe("launcher chain", () => {
  it("holds the wrappers of the same job, innermost first, and none in a session of its own", () => {
    const node = `"${process.execPath}" --import tsx -e '${PRINT}'`;
    const wrapped = chainSeenBy(["sh", "-c", `${node}; true`]);
    assert.match(wrapped[0]?.command ?? "", /^sh -c /);
    assert.ok(
      wrapped.some((l) => l.command.includes(process.argv[1] ?? "\0") || l.command.includes("node")),
      "this test's process launched the shell",
    );
    // A new session is a new job: the chain stops at its leader, and is empty for the leader itself.
    assert.deepEqual(
      chainSeenBy(["setsid", "-w", "sh", "-c", `${node}; true`]).map((l) => l.command.slice(0, 6)),
      ["sh -c "],
    );
    assert.deepEqual(chainSeenBy(["setsid", "-w", process.execPath, "--import", "tsx", "-e", PRINT]), []);
  });

  it("reports nothing gone while every launcher runs, and the launcher whose child was orphaned", () => {
    const chain = launcherChain();
    assert.ok(chain.length > 0, "the test runner launched this process");
    assert.equal(goneLauncher(chain, process.ppid, process.ppid), null);
    assert.equal(goneLauncher(chain, 1, process.ppid), chain[0], "our parent changed: it is gone");
    const inner = chain[0];
    if (inner && chain.length > 1) {
      const fake = [{ ...inner, ppid: inner.ppid + 100_000 }, ...chain.slice(1)];
      assert.equal(goneLauncher(fake, process.ppid, process.ppid), chain[1]);
    }
    const outer = chain[chain.length - 1];
    if (outer) {
      const reparented = [...chain.slice(0, -1), { ...outer, ppid: 1 }];
      assert.equal(goneLauncher(reparented, process.ppid, process.ppid), null, "nohup: the outermost may move");
      const reused = [...chain.slice(0, -1), { ...outer, startTicks: outer.startTicks + 1 }];
      assert.equal(goneLauncher(reused, process.ppid, process.ppid), reused[reused.length - 1]);
    }
  });
});
