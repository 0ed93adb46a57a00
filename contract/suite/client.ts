import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, request } from "undici";

/** One HTTP answer, read completely: the status, headers, raw text and the parsed JSON (undefined when not JSON). */
export interface Reply {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export interface SendOptions {
  /** Serialised with `JSON.stringify`. */
  json?: unknown;
  /** Sent as is (malformed JSON, oversized or chunked bodies). */
  raw?: string | Buffer | Readable;
  headers?: Record<string, string>;
  /** Send the body with no Content-Type at all (the client adds `application/json` otherwise). */
  omitContentType?: boolean;
}

export type Method = "GET" | "PUT" | "POST" | "DELETE" | "PATCH";

/** A small HTTP client bound to a lazily resolved base URL; `close()` drops its keep-alive sockets. */
export class Client {
  // No connection cap: the concurrency cases need 200 requests in flight at once.
  private readonly agent = new Agent({ connections: null, keepAliveTimeout: 2_000, headersTimeout: 30_000 });

  constructor(private readonly baseUrl: () => string) {}

  async send(method: Method, path: string, opts: SendOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | Buffer | Readable | undefined = opts.raw;
    if (opts.json !== undefined) body = JSON.stringify(opts.json);
    if (body !== undefined && !("content-type" in headers) && !opts.omitContentType) {
      headers["content-type"] = "application/json";
    }
    const origin = this.baseUrl().replace(/\/+$/, "");
    const res = await request(`${origin}${path}`, { method, headers, body, dispatcher: this.agent });
    const text = await res.body.text();
    let json: unknown;
    if (text.length > 0 && String(res.headers["content-type"] ?? "").includes("json")) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined; // the expectations report the raw text
      }
    }
    return { method, path, status: res.statusCode, headers: res.headers, text, json };
  }

  /**
   * Like `send`, but retries a 503 `unavailable` (the one retriable answer of the contract) a few times after its
   * Retry-After, capped at 1 s. Used where the contract allows an app to shed load (the concurrency cases).
   */
  async sendRetrying(method: Method, path: string, opts: SendOptions = {}, attempts = 5): Promise<Reply> {
    for (let i = 1; ; i++) {
      const reply = await this.send(method, path, opts);
      if (reply.status !== 503 || i >= attempts) return reply;
      const after = Number(reply.headers["retry-after"]);
      await sleep(Number.isFinite(after) ? Math.min(after * 1000, 1_000) : 100);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** `METHOD /path -> status body` for assertion messages. */
export function describeReply(reply: Reply): string {
  const body = reply.text.length > 300 ? `${reply.text.slice(0, 300)}...` : reply.text;
  return `${reply.method} ${reply.path} -> ${reply.status} ${body}`;
}
