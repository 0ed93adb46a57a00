import { Pool } from "undici";
import { isError } from "../../scenarios/journey-logic.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** The base URL, checked: http(s) and loopback only unless `allowRemote` (the harness's own addresses). */
export function checkTarget(baseUrl: string, allowRemote = false): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`driver: base URL "${baseUrl}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`driver: base URL "${baseUrl}" must be http(s)`);
  }
  const loopback = LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (!loopback && !allowRemote) {
    throw new Error(
      `driver: refusing non-loopback target ${url.host} (pass allowRemote for compose/multi-machine runs)`,
    );
  }
  return url;
}

/** An answer as the journey sees it: status 0 and an error code when nothing came back. */
export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any endpoint
  body: any;
  /** For unexpected outcomes: the API error code, `http_<status>`, `timeout`, `connection_refused`, ... */
  code: string | null;
}

/** A request relative to the base URL; body is serialised JSON. */
export interface Outgoing {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  body: string | null;
}

export interface HttpClient {
  send(req: Outgoing): Promise<Answer>;
  /** Opens up to `n` connections (concurrent `GET /health`, answers ignored) so the window does not pay for them. */
  preconnect(n: number): Promise<void>;
  /** Fails every queued and in-flight request at once (end of the time bound). */
  destroy(): Promise<void>;
  close(): Promise<void>;
}

const JSON_HEADERS = { "content-type": "application/json" };

function networkCode(err: unknown): string {
  const code = (err as { code?: string }).code ?? "";
  if (code === "ECONNREFUSED") return "connection_refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET" || code === "EPIPE") return "connection_reset";
  if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return "timeout";
  }
  if (code === "UND_ERR_DESTROYED" || code === "UND_ERR_CLOSED" || code === "UND_ERR_ABORTED") return "cut_off";
  if ((err as { name?: string }).name === "AbortError") return "cut_off";
  return code ? code.toLowerCase() : "network_error";
}

/**
 * An undici Pool to one origin: keep-alive, no pipelining, `connections` sockets. Each request has one time
 * limit covering the wait for a connection too (undici's own timeouts start only once the request is written).
 */
export function createHttpClient(base: URL, opts: { connections: number; timeoutMs: number }): HttpClient {
  const prefix = base.pathname.replace(/\/$/, "");
  const pool = new Pool(base.origin, {
    connections: opts.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: { timeout: opts.timeoutMs },
  });
  const timeoutMs = opts.timeoutMs;

  async function send(step: Outgoing): Promise<Answer> {
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
    try {
      const res = await pool.request({
        path: prefix + step.path,
        method: step.method,
        headers: step.body === null ? undefined : JSON_HEADERS,
        body: step.body,
        signal: ac.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await res.body.text();
      let body: unknown = null;
      if (text.length > 0 && text.charCodeAt(0) === 123 /* { */) {
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
      }
      const status = res.statusCode;
      const apiCode = (body as { error?: { code?: unknown } } | null)?.error?.code;
      const code = isError(status) ? (typeof apiCode === "string" ? apiCode : `http_${status}`) : null;
      return { status, body, code };
    } catch (err) {
      return { status: 0, body: null, code: timedOut ? "timeout" : networkCode(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  async function preconnect(n: number): Promise<void> {
    // Bounded: a server that never answers must not hold the run before its window.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(Array.from({ length: n }, () => send({ method: "GET", path: "/health", body: null }))),
      new Promise<void>((r) => (timer = setTimeout(r, Math.min(timeoutMs, 2_000)))),
    ]);
    clearTimeout(timer);
  }

  return {
    send,
    preconnect,
    destroy: () => pool.destroy(),
    close: () => pool.close(),
  };
}
