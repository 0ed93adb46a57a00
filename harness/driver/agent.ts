import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Placement } from "../infra/index.ts";
import type { DriverOptions, DriverResult } from "./types.ts";

const AGENT = resolve(import.meta.dirname, "agent-main.ts");

/** Where the agent runs and where its files go. */
export interface AgentOptions {
  placement: Placement;
  /** Folder for `driver-<phase>.options.json` and `driver-<phase>.log`. */
  dir: string;
  /** Called with the agent's pid once it runs (for the process sampler). */
  onSpawn?: (pid: number) => void;
}

/**
 * `runDriver` in a process of its own at `placement` (the driver's host), with the same options and result: the
 * callbacks fire as the agent's reports arrive (acks and seconds live, so the audit's input and the progress
 * line are the same as in-process). The agent dies with the harness; an abort signal stops its phase.
 */
export function agentDriver(a: AgentOptions): (o: DriverOptions) => Promise<DriverResult> {
  return async (o) => {
    const { onStart, onAck, onSecond, signal, ...plain } = o;
    const optionsFile = join(a.dir, `driver-${o.phase}.options.json`);
    writeFileSync(optionsFile, JSON.stringify(plain));
    const child = a.placement.spawn({
      label: "driver",
      command: process.execPath,
      args: ["--import", "tsx", AGENT, optionsFile],
      cwd: resolve(import.meta.dirname, "..", ".."),
      logFile: join(a.dir, `driver-${o.phase}.log`),
      stdout: "pipe",
    });
    a.onSpawn?.(child.pid);
    const stop = () => child.signal("SIGTERM");
    signal?.addEventListener("abort", stop, { once: true });
    let result: DriverResult | null = null;
    let error: string | null = null;
    try {
      if (!child.stdout) throw new Error("driver agent: no stdout pipe");
      for await (const line of createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
        if (!line.startsWith("{")) continue;
        const msg = JSON.parse(line) as {
          start?: number;
          ack?: Parameters<NonNullable<DriverOptions["onAck"]>>[0];
          second?: Parameters<NonNullable<DriverOptions["onSecond"]>>[0];
          result?: DriverResult;
          error?: string;
        };
        if (msg.start !== undefined) onStart?.(msg.start);
        else if (msg.ack) onAck?.(msg.ack);
        else if (msg.second) onSecond?.(msg.second);
        else if (msg.result) result = msg.result;
        else if (msg.error) error = msg.error;
      }
      const code = await child.exited;
      if (result) return result;
      throw new Error(
        `driver agent at ${a.placement.host}: ${error ?? `exited with code ${code} without a result`} (log ${child.logFile})`,
      );
    } finally {
      signal?.removeEventListener("abort", stop);
      await child.stop({ signal: "SIGTERM", timeoutMs: 5000 });
    }
  };
}
