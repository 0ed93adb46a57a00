import { join } from "node:path";
import { type ChildHandle, freePort, httpUrl, LOCAL, logTail, type Placement, sleep } from "../infra/index.ts";
import type { NodeRole, ProcessContext, ProcessKind } from "./apps.ts";
import { type CpuGroup, createCpuGroup } from "./cgroup.ts";

/** One app process of a stack. */
export interface AppNode {
  id: string;
  /** `http://<address>:PORT` (for a worker: its health endpoint only). */
  url: string;
  /** Its host: `local`, or its own network namespace's name in the topology. */
  host: string;
  /** Where its `/metrics` is served: a port of its own when its env sets METRICS_PORT, else `url`. */
  metricsUrl: string;
  pid: number;
  role: NodeRole;
  /** Resolves with the exit code (null when ended by a signal). */
  exited: Promise<number | null>;
  /** True until the process has exited (a SIGSTOPped node still runs). */
  running(): boolean;
}

/** An AppNode with what the stack needs to manage it. */
export interface RunningNode extends AppNode {
  handle: ChildHandle;
  kind: ProcessKind;
  cpu: CpuGroup | null;
}

/** Where and how to launch a process. */
export interface LaunchOptions {
  root: string;
  runDir: string;
  /** Env vars on top of the app's (they win). */
  extraEnv: Record<string, string>;
  /** CPU quota in cores, or null for none. */
  cpu: number | null;
  /** Unique per stack, so two stacks on one machine never share a cgroup. */
  cgroupPrefix: string;
  readyTimeoutMs: number;
  /**
   * Node flags before the entry (e.g. `--cpu-prof`, `--cpu-prof-dir=DIR`: Node refuses those in NODE_OPTIONS).
   * The same for every process of the stack, whichever app it runs.
   */
  nodeArgs?: readonly string[];
  warn(message: string): void;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

function cpuGroup(id: string, opts: LaunchOptions): CpuGroup | null {
  if (opts.cpu === null) return null;
  try {
    return createCpuGroup(`${opts.cgroupPrefix}-${id}`, opts.cpu);
  } catch (err) {
    opts.warn(`${id}: CPU quota of ${opts.cpu} cores not applied, running unlimited (${(err as Error).message})`);
    return null;
  }
}

/**
 * Starts `node --import tsx <entry>` with the app env, logging to `<runDir>/logs/<id>.log`, and waits until
 * GET /health answers 200. On failure the process is stopped and the error quotes the log tail.
 */
export async function launchNode(
  kind: ProcessKind,
  id: string,
  ctx: Omit<ProcessContext, "id" | "port" | "host" | "metricsPort">,
  opts: LaunchOptions,
  place: Placement = LOCAL,
): Promise<RunningNode> {
  const logFile = join(opts.runDir, "logs", `${id}.log`);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = httpUrl(place, port);
    const appEnv = {
      ...kind.env({ ...ctx, id, port, host: place.address, metricsPort: await freePort() }),
      ...opts.extraEnv,
    };
    const metricsUrl = appEnv.METRICS_PORT ? httpUrl(place, Number(appEnv.METRICS_PORT)) : url;
    const env = { ...process.env, ...appEnv };
    const handle = place.spawn({
      label: id,
      command: process.execPath,
      args: [...(opts.nodeArgs ?? []), "--import", "tsx", join(opts.root, kind.entry)],
      cwd: opts.root,
      env,
      logFile,
    });
    const cpu = cpuGroup(id, opts);
    if (cpu) {
      try {
        cpu.add(handle.pid);
      } catch (err) {
        opts.warn(`${id}: cannot join CPU group ${cpu.path}, running unlimited (${(err as Error).message})`);
      }
    }
    const deadline = Date.now() + opts.readyTimeoutMs;
    let ready = false;
    while (handle.running() && Date.now() < deadline) {
      if (await healthy(url)) {
        ready = true;
        break;
      }
      await sleep(100);
    }
    if (ready) {
      return {
        id,
        url,
        host: place.host,
        metricsUrl,
        pid: handle.pid,
        role: kind.role,
        exited: handle.exited,
        running: () => handle.running(),
        handle,
        kind,
        cpu,
      };
    }
    const exitedEarly = !handle.running();
    await handle.stop({ signal: "SIGKILL" });
    cpu?.remove();
    const tail = logTail(logFile);
    // Either port may have been taken meanwhile (another helper's server): try again with fresh ones.
    if (exitedEarly && attempt < 3 && /EADDRINUSE/.test(tail)) continue;
    const why = exitedEarly
      ? `exited (code ${await handle.exited}) before answering GET /health`
      : `did not answer GET /health with 200 within ${opts.readyTimeoutMs} ms`;
    throw new Error(`${id} (${kind.entry}) ${why}. Last lines of ${logFile}:\n${tail}`);
  }
}
