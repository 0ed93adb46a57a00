import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { ChildHandle, Placement } from "../infra/index.ts";
import type { DriverOptions, DriverResult } from "./types.ts";

const AGENT = resolve(import.meta.dirname, "agent-main.ts");

/** Where the agent runs and where its logs go. */
export interface AgentOptions {
  placement: Placement;
  /** Folder for `driver-<n>.log`. */
  dir: string;
  /** Called with each agent's pid once it runs (for the process sampler). */
  onSpawn?: (pid: number) => void;
}

/** `runDriver` in an agent process, plus its lifecycle. */
export interface AgentDriver {
  (o: DriverOptions): Promise<DriverResult>;
  /** Makes sure an agent is loaded for the next phase (its start-up then precedes the window); a no-op when the
   * previous phase left its agent warm. */
  prepare(): Promise<void>;
  /** Ends the agent left warm for a next phase, if any. Idempotent. */
  close(): Promise<void>;
}

interface Agent {
  child: ChildHandle;
  lines: AsyncIterator<string>;
  ready: Promise<void>;
}

type Message = {
  ready?: boolean;
  start?: number;
  ack?: Parameters<NonNullable<DriverOptions["onAck"]>>[0];
  second?: Parameters<NonNullable<DriverOptions["onSecond"]>>[0];
  result?: DriverResult;
  error?: string;
};

/**
 * `runDriver` in a process of its own at `placement` (the driver's host, or this machine), with the same options
 * and result: the callbacks fire as the agent's reports arrive (seconds live, acks in batches with them; the
 * audit's input and the progress line are the same as in-process). Phases run one after another in one agent, so the measured ones find its JIT
 * warm (a fresh process spent ~0.25 s of CPU compiling inside each window); an aborted or failed phase ends its
 * agent and the next phase starts a new one. Agents die with the harness; `close()` ends the last one.
 */
export function agentDriver(a: AgentOptions): AgentDriver {
  let count = 0;
  let standby: Agent | null = null;
  const spawnAgent = (): Agent => {
    count += 1;
    const child = a.placement.spawn({
      label: "driver",
      command: process.execPath,
      args: ["--import", "tsx", AGENT],
      cwd: resolve(import.meta.dirname, "..", ".."),
      logFile: join(a.dir, `driver-${count}.log`),
      pipe: true,
    });
    a.onSpawn?.(child.pid);
    if (!child.stdout) throw new Error("driver agent: no stdout pipe");
    const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
    const ready = (async () => {
      for (;;) {
        const next = await lines.next();
        if (next.done)
          throw new Error(`driver agent at ${a.placement.host} exited before it was ready (log ${child.logFile})`);
        if (next.value.startsWith('{"ready"')) return;
      }
    })();
    ready.catch(() => {});
    return { child, lines, ready };
  };

  const run = async (o: DriverOptions): Promise<DriverResult> => {
    const { onStart, onAck, onSecond, signal, ...plain } = o;
    const agent = standby ?? spawnAgent();
    standby = null;
    const { child, lines } = agent;
    let aborted = false;
    const stop = () => {
      aborted = true;
      child.signal("SIGTERM");
    };
    signal?.addEventListener("abort", stop, { once: true });
    let result: DriverResult | null = null;
    let error: string | null = null;
    try {
      await agent.ready;
      child.stdin?.write(`${JSON.stringify(plain)}\n`);
      // The phase's reports, up to its result: the agent then waits for the next phase.
      while (result === null && error === null) {
        const next = await lines.next();
        if (next.done) break;
        if (!next.value.startsWith("{")) continue;
        const msg = JSON.parse(next.value) as Message;
        if (msg.start !== undefined) onStart?.(msg.start);
        else if (msg.ack) onAck?.(msg.ack);
        else if (msg.second) onSecond?.(msg.second);
        else if (msg.result) result = msg.result;
        else if (msg.error) error = msg.error;
      }
      if (result) return result;
      const code = await child.exited;
      throw new Error(
        `driver agent at ${a.placement.host}: ${error ?? `exited with code ${code} without a result`} (log ${child.logFile})`,
      );
    } finally {
      signal?.removeEventListener("abort", stop);
      // A finished phase leaves a warm agent for the next one; an aborted or failed one is stopped.
      if (result && !aborted && child.running()) standby = agent;
      else await child.stop({ signal: "SIGTERM", timeoutMs: 5000 });
    }
  };
  return Object.assign(run, {
    async prepare() {
      standby ??= spawnAgent();
      await standby.ready;
    },
    async close() {
      const s = standby;
      standby = null;
      s?.child.stdin?.end();
      await s?.child.stop({ signal: "SIGTERM", timeoutMs: 5000 });
    },
  });
}
