import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { gitState } from "./environment.ts";

describe("git state of a run", () => {
  it("is dirty for a modified or untracked file, clean for ignored output, unknown outside a checkout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "statebench-git-"));
    try {
      const git = (...args: string[]) =>
        execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: dir, stdio: "pipe" });
      assert.deepEqual(await gitState(dir), { commit: null, dirty: false });
      git("init", "-q");
      writeFileSync(join(dir, ".gitignore"), "node_modules/\nresults/*\n");
      writeFileSync(join(dir, "a.ts"), "export {};\n");
      git("add", ".");
      git("commit", "-qm", "one");
      const commit = git("rev-parse", "HEAD").toString().trim();
      assert.deepEqual(await gitState(dir), { commit, dirty: false });
      rmSync(join(dir, "results"), { recursive: true, force: true });
      execFileSync("mkdir", ["-p", join(dir, "node_modules/x"), join(dir, "results/run")]);
      writeFileSync(join(dir, "node_modules/x/index.js"), "");
      writeFileSync(join(dir, "results/run/summary.json"), "{}");
      assert.deepEqual(await gitState(dir), { commit, dirty: false }, "ignored output is not a change");
      writeFileSync(join(dir, "new-scenario.ts"), "export {};\n");
      assert.equal((await gitState(dir)).dirty, true, "an untracked source file runs too");
      rmSync(join(dir, "new-scenario.ts"));
      writeFileSync(join(dir, "a.ts"), "export const x = 1;\n");
      assert.equal((await gitState(dir)).dirty, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
