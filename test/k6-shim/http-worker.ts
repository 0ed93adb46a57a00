// Worker thread of the shim's synchronous HTTP: performs the requests the blocked main thread asks for, then
// wakes it with Atomics.notify; with `serve`, it also serves the contract's reference app (a real HTTP server on
// 127.0.0.1) — here, because the main thread sleeps in Atomics.wait while a k6-style request is in flight.
import { parentPort, workerData } from "node:worker_threads";
import { startReferenceServer } from "../../contract/suite/reference-app.ts";

interface Req {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
  timeoutMs: number;
}

const { port, flag, serve } = workerData as {
  port: import("node:worker_threads").MessagePort;
  flag: Int32Array;
  serve: boolean;
};
// Without `serve`, only a client: requests go to whatever URL the script names.
const server = serve ? await startReferenceServer() : null;

function reply(message: unknown): void {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

port.on("message", async (req: Req | "close") => {
  if (req === "close") {
    await server?.close();
    port.close();
    return;
  }
  const url = req.url;
  const start = performance.now();
  try {
    const res = await fetch(url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    const body = await res.text();
    reply({ status: res.status, body, durationMs: performance.now() - start, errorCode: null });
  } catch (err) {
    const timeout = (err as Error).name === "TimeoutError";
    reply({ status: 0, body: "", durationMs: performance.now() - start, errorCode: timeout ? 1050 : 1000 });
  }
});
parentPort?.postMessage({ ready: server?.url ?? "" });
