import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { descendantsOf, type ProcStat, readStatSync, scanProcesses } from "../harness/samplers/proc.ts";

const ROOT = join(import.meta.dirname, "..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A process of the run, named by pid and start time (pids are reused). */
interface Member {
  pid: number;
  startTicks: number;
  command: string;
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
};

/** Everything below the wrapper: npm, its shell, the harness and the stack the harness started. */
async function runProcesses(wrapper: number): Promise<Member[]> {
  const scan = await scanProcesses();
  return descendantsOf(wrapper, scan)
    .map((pid) => scan.get(pid))
    .filter((s): s is ProcStat => s !== undefined)
    .map((s) => ({ pid: s.pid, startTicks: s.startTicks, command: cmdline(s.pid) || s.comm }));
}

/** Still running: the same process (pid and start time), and not a zombie waiting for a slow init to reap it. */
function running(m: Member): boolean {
  const s = readStatSync(m.pid);
  return s !== undefined && s.startTicks === m.startTicks && s.state !== "Z";
}

/** Waits until the run's stack is up: every part named in `parts` (by command line) runs below the wrapper. */
async function stackOf(wrapper: ChildProcess, parts: RegExp[], log: () => string): Promise<Member[]> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (wrapper.exitCode !== null) throw new Error(`the wrapper exited (${wrapper.exitCode}) early:\n${log()}`);
    const members = await runProcesses(wrapper.pid as number);
    if (parts.every((p) => members.some((m) => p.test(m.command)))) return members;
    await sleep(250);
  }
  throw new Error(`the stack did not come up within 90 s:\n${log()}`);
}

const STACK_UP = [/postgres -D/, /haproxy -db/, /stateful-app\/main\.ts/];
const STACK_BENCH = [/postgres -D/, /redis-server/, /haproxy -db/, /stateless-app\/.*main\.ts/];

// Made now, not in a hook: the cases below name it when the file loads.
const out = mkdtempSync(join(tmpdir(), "statebench-wrapper-"));
after(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("a signal to the npm/npx wrapper stops the whole run (real stack)", () => {
  const cases: Array<{ name: string; command: string[]; parts: RegExp[] }> = [
    { name: "npx statebench up", command: ["npx", "statebench", "up", "--app", "stateful"], parts: STACK_UP },
    {
      name: "timeout 120 npx statebench up",
      command: ["timeout", "120", "npx", "statebench", "up", "--app", "stateful"],
      parts: STACK_UP,
    },
    {
      name: "npm run bench",
      command: [
        ...["npm", "run", "bench", "--", "--app", "stateless", "--scenario", "flash-sale", "--profile", "ci"],
        ...["--out", out, "--no-report"],
      ],
      parts: STACK_BENCH,
    },
  ];
  for (const c of cases) {
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      it(`${c.name}: ${signal} to the wrapper leaves no process of the run`, async (t) => {
        // Its own process group, as a shell's job: the wrapper is the outermost process the user started.
        const wrapper = spawn(c.command[0] as string, c.command.slice(1), {
          cwd: ROOT,
          detached: true,
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, STATEBENCH_SKIP_BROWSER: "1", STATEBENCH_SKIP_COMPOSE: "1" },
        });
        let log = "";
        wrapper.stdout?.on("data", (d) => {
          log += d;
        });
        wrapper.stderr?.on("data", (d) => {
          log += d;
        });
        let members: Member[] = [];
        try {
          members = await stackOf(wrapper, c.parts, () => log);
          const started = performance.now();
          wrapper.kill(signal);
          let left = members.filter(running);
          while (left.length > 0 && performance.now() - started < 15_000) {
            await sleep(50);
            left = left.filter(running);
          }
          const stackGoneMs = performance.now() - started;
          t.diagnostic(`${members.length} processes, all gone ${stackGoneMs.toFixed(0)} ms after ${signal}`);
          assert.deepEqual(
            left.map((m) => `${m.pid} ${m.command}`),
            [],
            `still running after ${signal} to ${c.name}:\n${log}`,
          );
        } finally {
          for (const m of members.filter(running)) {
            try {
              process.kill(m.pid, "SIGKILL");
            } catch {
              // gone
            }
          }
        }
      });
    }
  }
});
