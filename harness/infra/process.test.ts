import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import { isAlive, sleep } from "./index.ts";

const FIXTURE = join(import.meta.dirname, "fixtures", "orphan-child.ts");

/**
 * Runs the fixture as a plain child (not through spawnChild, so only the fixture's own protections act), waits
 * for its pid line, lets `act` end it, then checks every server pid disappears. The bound is generous: it only
 * stops the test from hanging; the kernel's parent-death signal acts at once.
 */
async function startThenEnd(mode: "wait" | "throw", act: (pid: number) => void): Promise<number[]> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, mode], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once("line", resolve)),
    exited.then(() => {
      throw new Error(`fixture exited before starting the servers:\n${stderr}`);
    }),
  ]);
  const { pids, runDir } = JSON.parse(first) as { pids: number[]; runDir: string };
  assert.ok(pids.length >= 4, "postgres, its backends, redis and haproxy");
  for (const pid of pids) assert.ok(isAlive(pid), `pid ${pid} runs before the kill`);
  act(child.pid as number);
  await exited;
  const deadline = Date.now() + 15_000;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(50);
  rmSync(runDir, { recursive: true, force: true });
  return pids.filter(isAlive);
}

describe("children die with the harness", () => {
  it("after SIGKILL of the harness (parent-death signal, also across the uid change)", async () => {
    assert.deepEqual(await startThenEnd("wait", (pid) => process.kill(pid, "SIGKILL")), []);
  });

  it("after SIGTERM of the harness (signal hook)", async () => {
    assert.deepEqual(await startThenEnd("wait", (pid) => process.kill(pid, "SIGTERM")), []);
  });

  it("after an uncaught exception in the harness", async () => {
    assert.deepEqual(await startThenEnd("throw", () => {}), []);
  });
});
