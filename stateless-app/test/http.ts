import { Agent, request } from "undici";

/** A small JSON client for the stack tests; `connections` caps sockets per origin (requests queue beyond it). */
export function jsonClient(baseUrl: () => string, connections = 256) {
  const agent = new Agent({ connections, keepAliveTimeout: 2_000 });
  return {
    async send(method: "GET" | "PUT" | "POST" | "DELETE", path: string, body?: unknown) {
      const res = await request(`${baseUrl()}${path}`, {
        method,
        dispatcher: agent,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    close: () => agent.close(),
  };
}

/** Polls `check` every 50 ms until it is true or `timeoutMs` passes; returns whether it became true. */
export async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
