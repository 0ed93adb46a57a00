// The driver as a process of its own, for a driver on its own host (a network namespace, a load machine):
// `node --import tsx harness/driver/agent-main.ts <options.json>` runs one phase with `runDriver` and reports on
// stdout, one JSON object a line: {"start": ms}, {"ack": AckRecord}, {"second": SecondStats}, then
// {"result": DriverResult} (or {"error": message}). SIGTERM/SIGINT abort the phase; the result still comes.
import { readFileSync } from "node:fs";
import { runDriver } from "./run.ts";
import type { DriverOptions } from "./types.ts";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: agent-main.ts <options.json>\n");
  process.exit(2);
}
const opts = JSON.parse(readFileSync(file, "utf8")) as DriverOptions;
const abort = new AbortController();
for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => abort.abort());
const send = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

runDriver({
  ...opts,
  signal: abort.signal,
  onStart: (ms) => send({ start: ms }),
  onAck: (a) => send({ ack: a }),
  onSecond: (s) => send({ second: s }),
}).then(
  (result) => {
    send({ result });
    process.stdout.end(() => process.exit(0));
  },
  (err: unknown) => {
    send({ error: err instanceof Error ? err.message : String(err) });
    process.stdout.end(() => process.exit(1));
  },
);
