// The driver as a process of its own, in every embedded run (here, in a network namespace, on a load machine):
// `node --import tsx harness/driver/agent-main.ts`. Once loaded it prints {"ready": true}, then runs one phase per line of
// DriverOptions (JSON, without callbacks) on stdin, one after another, and reports on stdout, one JSON object a
// line: {"start": ms}, {"ack": AckRecord} (in batches), {"second": SecondStats}, then {"result": DriverResult} (or
// {"error": message}, after which it exits). Loading first means its start-up CPU is spent before the harness's
// window opens; running every phase of a run (warm-up, measure, each capacity step) in one process means the JIT
// compiles the hot paths during the warm-up, not inside a measured window. SIGTERM/SIGINT abort the phase in
// progress (its result still comes) and end the agent; so does closing stdin, after the phase.
import { createInterface } from "node:readline";
import { runDriver } from "./run.ts";
import type { DriverOptions } from "./types.ts";

let current: AbortController | null = null;
let ending = false;
// Acks go out in batches (with each second's report, before the result, or at 64 KiB): a pipe write per ack was
// a syscall and a completion wake-up each, which on this VM cost more CPU than a request.
let acks = "";
const flushAcks = () => {
  if (acks.length === 0) return;
  process.stdout.write(acks);
  acks = "";
};
const send = (o: unknown) => {
  flushAcks();
  process.stdout.write(`${JSON.stringify(o)}\n`);
};
const ACK_BATCH_BYTES = 64 * 1024;
const finish = (code: number) => process.stdout.end(() => process.exit(code));
const end = () => {
  ending = true;
  if (current) current.abort();
  else finish(0);
};
for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, end);

async function runPhase(line: string): Promise<boolean> {
  let opts: DriverOptions;
  try {
    opts = JSON.parse(line) as DriverOptions;
  } catch (err) {
    send({ error: `bad options line: ${(err as Error).message}` });
    return false;
  }
  current = new AbortController();
  try {
    const result = await runDriver({
      ...opts,
      signal: current.signal,
      onStart: (ms) => send({ start: ms }),
      onAck: (a) => {
        acks += `${JSON.stringify({ ack: a })}\n`;
        if (acks.length >= ACK_BATCH_BYTES) flushAcks();
      },
      onSecond: (s) => send({ second: s }),
    });
    send({ result });
    return true;
  } catch (err) {
    send({ error: err instanceof Error ? err.message : String(err) });
    return false;
  } finally {
    current = null;
  }
}

const input = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
(async () => {
  for await (const line of input) {
    if (ending) break;
    if (line.trim() === "") continue;
    if (!(await runPhase(line))) return finish(1);
    if (ending) break;
  }
  finish(0);
})();
send({ ready: true });
