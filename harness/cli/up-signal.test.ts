import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import { isAlive } from "../infra/index.ts";

const FIXTURE = join(import.meta.dirname, "fixtures", "up-fake.ts");

describe("statebench up as a process", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`stops everything it started on ${signal} and exits 0`, async () => {
      const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, "up", "--app", "stateful", "--nodes", "2"], {
        stdio: ["pipe", "pipe", "pipe"],
        env: { ...process.env, DATABASE_URL: "" },
      });
      let stderr = "";
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      const first = await Promise.race([
        new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve)),
        exited.then((code) => {
          throw new Error(`up exited (${code}) before printing its line:\n${stderr}`);
        }),
      ]);
      const info = JSON.parse(first) as { nodes: Array<{ pid: number }>; url: string };
      assert.equal(info.nodes.length, 2);
      const status = await fetch(`${info.url}/health`);
      assert.equal(status.status, 200);
      child.kill(signal);
      assert.equal(await exited, 0, stderr);
      assert.match(stderr, new RegExp(`${signal}, stopping`));
      assert.deepEqual(info.nodes.map((n) => n.pid).filter(isAlive), []);
    });
  }
});
