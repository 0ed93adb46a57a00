import { readFileSync } from "node:fs";
import { readStatSync } from "../samplers/proc.ts";

/** A process that started this one, as it was when the command began. */
export interface Launcher {
  pid: number;
  ppid: number;
  startTicks: number;
  command: string;
}

function commandOf(pid: number, comm: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ").slice(0, 80) || comm;
  } catch {
    return comm;
  }
}

/**
 * The chain of processes that launched this one and belong to the same job (process group): `npx`'s npm and
 * the `sh -c` it runs, `npm run`'s npm and shell, `timeout`. Innermost first. The chain ends at the first
 * ancestor outside the job (the interactive shell, the CI runner's own group) or at pid 1.
 */
export function launcherChain(self = process.pid): Launcher[] {
  const me = readStatSync(self);
  if (!me) return [];
  const out: Launcher[] = [];
  let pid = me.ppid;
  while (pid > 1 && out.length < 32) {
    const s = readStatSync(pid);
    if (!s || s.pgrp !== me.pgrp) break;
    out.push({ pid, ppid: s.ppid, startTicks: s.startTicks, command: commandOf(pid, s.comm) });
    pid = s.ppid;
  }
  return out;
}

/** The first launcher that is gone (exited, a zombie, its pid reused, or orphaned its child), or null. */
export function goneLauncher(chain: Launcher[], selfPpid: number, initialPpid: number): Launcher | null {
  if (chain.length === 0) return null;
  if (selfPpid !== initialPpid) return chain[0] ?? null;
  for (let i = 0; i < chain.length; i++) {
    const link = chain[i] as Launcher;
    const s = readStatSync(link.pid);
    if (!s || s.state === "Z" || s.startTicks !== link.startTicks) return link;
    // A launcher that was re-parented lost its own launcher (the next link). The outermost one may be
    // re-parented freely (its shell exited under nohup): it is watched for its own death only.
    if (i < chain.length - 1 && s.ppid !== link.ppid) return chain[i + 1] ?? link;
  }
  return null;
}

let stopHandler: ((reason: string) => void) | null = null;

/**
 * Who stops the command when a launcher is gone: a command with a graceful stop of its own (`up`) registers it,
 * so a SIGTERM that already reached it (timeout signals its whole job) is not followed by a second one, which
 * would mean "kill now". Null restores the default: SIGTERM to this process.
 */
export function onLaunchersGone(handler: ((reason: string) => void) | null): void {
  stopHandler = handler;
}

/**
 * Makes this process stop when any process of its job that launched it is gone. `npx statebench up`,
 * `npm run bench` and `timeout 60 npx ...` put npm and a shell between the user and statebench; a signal or a
 * SIGKILL to the outermost one does not reach statebench (npm forwards SIGTERM to its shell, which dies alone),
 * so without this the stack would outlive the command. When a launcher is gone, the registered stop runs
 * (`up`: its graceful stop), else this process signals itself SIGTERM (`bench` then kills everything it
 * started: harness/infra/process.ts).
 *
 * To keep statebench running after the command that started it ends, start it in its own session (`setsid`).
 * @returns a function that stops watching
 */
export function watchLaunchers(opts: { intervalMs?: number; log?: (m: string) => void } = {}): () => void {
  const initialPpid = process.ppid;
  const chain = launcherChain();
  if (chain.length === 0) return () => {};
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const timer = setInterval(() => {
    const gone = goneLauncher(chain, process.ppid, initialPpid);
    if (!gone) return;
    clearInterval(timer);
    const reason = `${gone.command} (pid ${gone.pid}), which started this command, is gone`;
    log(`statebench: ${reason}: stopping`);
    if (stopHandler) stopHandler(reason);
    else process.kill(process.pid, "SIGTERM");
  }, opts.intervalMs ?? 100);
  timer.unref();
  return () => clearInterval(timer);
}
