import { Pool } from "undici";

/** One JSON answer of a benchmark request. */
export interface JsonAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: benchmark scripts read fields of whatever the app answered
  json: any;
}

/**
 * A fixed number of keep-alive connections to one node, JSON in and out: what the closed-loop hold+confirm
 * benchmarks of both apps drive their node with (`connections` bounds the requests in flight).
 */
export function jsonPool(url: string, connections: number) {
  const pool = new Pool(url, { connections });
  return {
    async send(method: "PUT" | "POST" | "GET", path: string, body?: unknown): Promise<JsonAnswer> {
      const res = await pool.request({
        method,
        path,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, json: text ? JSON.parse(text) : {} };
    },
    close: () => pool.close(),
  };
}
