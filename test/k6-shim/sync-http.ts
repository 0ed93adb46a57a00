import { once } from "node:events";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { SyncRequest, SyncResponse } from "./state.ts";

/** A blocking request function, as k6's VU code expects, and optionally a reference-app server, in a worker. */
export interface SyncHttp {
  /** The server's base URL (http://127.0.0.1:port); "" without `serve`. */
  url: string;
  request: SyncRequest;
  close(): Promise<void>;
}

/** Starts the worker; resolves once it is ready (and its server listens, with `serve`, the default). */
export async function startSyncHttp(opts: { serve?: boolean } = {}): Promise<SyncHttp> {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL("./worker-entry.mjs", import.meta.url), {
    workerData: { port: port2, flag, serve: opts.serve ?? true },
    transferList: [port2],
  });
  const [ready] = (await once(worker, "message")) as [{ ready: string }];
  const request: SyncRequest = (method, url, body, headers, timeoutMs) => {
    Atomics.store(flag, 0, 0);
    port1.postMessage({ method, url, body, headers, timeoutMs });
    // Bounded wait: the worker answers within timeoutMs (fetch is aborted then), plus slack.
    const woke = Atomics.wait(flag, 0, 0, timeoutMs + 5000);
    const msg = receiveMessageOnPort(port1);
    if (woke === "timed-out" || !msg) throw new Error(`k6 shim: no answer from the HTTP worker for ${method} ${url}`);
    return msg.message as SyncResponse;
  };
  return {
    url: ready.ready,
    request,
    async close() {
      port1.postMessage("close");
      await new Promise((r) => setTimeout(r, 50));
      port1.close();
      await worker.terminate();
    },
  };
}
