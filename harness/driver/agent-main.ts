// The driver as a process of its own, for a driver on its own host (a network namespace, a load machine):
// `node --import tsx harness/driver/agent-main.ts`. Once loaded it prints {"ready": true}, then reads one line
// of DriverOptions (JSON, without callbacks) on stdin, runs that phase with `runDriver` and reports on stdout,
// one JSON object a line: {"start": ms}, {"ack": AckRecord}, {"second": SecondStats}, then {"result":
// DriverResult} (or {"error": message}). Loading first means its start-up CPU is spent before the harness's
// window opens. SIGTERM/SIGINT abort the phase; the result still comes.
import { createInterface } from "node:readline";
import { runDriver } from "./run.ts";
import type { DriverOptions } from "./types.ts";

const abort = new AbortController();
for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => abort.abort());
const send = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const finish = (code: number) => process.stdout.end(() => process.exit(code));

const input = createInterface({ input: process.stdin });
let started = false;
input.once("line", (line) => {
  started = true;
  input.close();
  let opts: DriverOptions;
  try {
    opts = JSON.parse(line) as DriverOptions;
  } catch (err) {
    send({ error: `bad options line: ${(err as Error).message}` });
    finish(2);
    return;
  }
  runDriver({
    ...opts,
    signal: abort.signal,
    onStart: (ms) => send({ start: ms }),
    onAck: (a) => send({ ack: a }),
    onSecond: (s) => send({ second: s }),
  }).then(
    (result) => {
      send({ result });
      finish(0);
    },
    (err: unknown) => {
      send({ error: err instanceof Error ? err.message : String(err) });
      finish(1);
    },
  );
});
// Dismissed before any phase (the harness closed stdin): nothing to report.
input.once("close", () => {
  if (!started) finish(0);
});
send({ ready: true });
