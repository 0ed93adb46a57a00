import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { isError } from "../../scenarios/journey-logic.js";
import { ResponseReader, utf8 } from "./http-parse.ts";
import { errorCode } from "./scan.ts";

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
  /** The body as text (JSON for the contract's answers); "" when nothing came back. */
  text: string;
  /** For unexpected outcomes: the API error code, `http_<status>`, `timeout`, `connection_refused`, ... */
  code: string | null;
  /** performance.now() when the request was handed to a connection (after any wait inside the client), or when
   * it was given up if it never was. */
  sentAt: number;
}

/** A request relative to the base URL; body is serialised JSON. */
export interface Outgoing {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  body: string | null;
}

/** The connection model, as summary.json records it. */
export const CONNECTION_MODEL = "one keep-alive connection per in-flight request";

export interface HttpClient {
  send(req: Outgoing): Promise<Answer>;
  /** Opens up to `n` idle connections so the window does not pay for them. Bounded to 2 s. */
  preconnect(n: number): Promise<void>;
  /** Connections open now, the most open at once, and the bound. */
  connections(): { open: number; peak: number; max: number };
  /** Fails every queued and in-flight request at once (end of the time bound). */
  destroy(): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  wire: string;
  startedAt: number;
  sentAt: number;
  resolve: (a: Answer) => void;
  conn: Conn | null;
  retried: boolean;
}

interface Conn {
  socket: Socket;
  reader: ResponseReader;
  req: Pending | null;
  /** Answers this connection completed (a reused connection may have been closed by the server while idle). */
  used: number;
  idleSince: number;
  error: unknown;
}

function networkCode(err: unknown): string {
  const code = (err as { code?: string } | null)?.code ?? "";
  if (code === "ECONNREFUSED") return "connection_refused";
  if (code === "ECONNRESET" || code === "EPIPE" || code === "") return "connection_reset";
  if (code === "ETIMEDOUT") return "timeout";
  return code.toLowerCase();
}

// A server closes idle keep-alive connections (Node 5 s, HAProxy 10 s here); closing ours first avoids sending
// on a connection the server is closing. The sweep that enforces time limits also reaps these.
const IDLE_MS = 4_000;
const SWEEP_MS = 100;

/**
 * Raw keep-alive sockets to one origin, one request per connection at a time, as a flash sale's clients: a
 * request takes an idle connection or opens a new one, so the server sees every in-flight request, up to
 * `maxConnections` (beyond it, requests wait inside the client and that wait counts in their latency). Requests
 * are one prebuilt string each; one sweep every 100 ms enforces the time limit (connection wait included)
 * instead of a timer per request.
 */
export function createHttpClient(base: URL, opts: { maxConnections: number; timeoutMs: number }): HttpClient {
  const prefix = base.pathname.replace(/\/$/, "");
  const port = Number(base.port || (base.protocol === "https:" ? 443 : 80));
  const host = base.hostname.replace(/^\[|\]$/g, "");
  const hostHeader = `host: ${base.host}\r\n`;
  const { maxConnections, timeoutMs } = opts;
  const idle: Conn[] = []; // LIFO: the busiest connections stay warm, the rest age out
  const inFlight = new Set<Pending>(); // insertion order is start order: the sweep stops at the first young one
  const queue: Pending[] = [];
  let queueHead = 0;
  let open = 0;
  let peak = 0;
  let closed = false;

  const sweep = setInterval(() => {
    const now = performance.now();
    while (queueHead < queue.length && now - (queue[queueHead] as Pending).startedAt >= timeoutMs) {
      const p = queue[queueHead++] as Pending;
      finish(p, 0, "", "timeout");
    }
    compactQueue();
    for (const p of inFlight) {
      if (now - p.startedAt < timeoutMs) break;
      const c = p.conn;
      finish(p, 0, "", "timeout");
      if (c) {
        c.req = null;
        c.socket.destroy();
      }
    }
    while (idle.length > 0 && now - (idle[0] as Conn).idleSince > IDLE_MS) (idle.shift() as Conn).socket.destroy();
  }, SWEEP_MS);
  sweep.unref();

  function compactQueue() {
    if (queueHead > 1024 && queueHead * 2 > queue.length) {
      queue.splice(0, queueHead);
      queueHead = 0;
    }
  }

  function finish(p: Pending, status: number, text: string, code: string | null) {
    inFlight.delete(p);
    p.conn = null;
    // A request that never left the client waited until it was given up: that is its lateness.
    p.resolve({ status, text, code, sentAt: p.sentAt < 0 ? performance.now() : p.sentAt });
  }

  function complete(p: Pending, status: number, latin1: string) {
    const code = isError(status) ? (errorCode(latin1) ?? `http_${status}`) : null;
    // Error bodies may carry non-ASCII messages; the contract's success bodies are ASCII.
    finish(p, status, code === null ? latin1 : utf8(latin1), code);
  }

  function assign(c: Conn, p: Pending) {
    c.req = p;
    p.conn = c;
    p.sentAt = performance.now();
    inFlight.add(p);
    c.socket.write(p.wire);
  }

  function release(c: Conn) {
    c.req = null;
    if (closed) return void c.socket.destroy();
    if (queueHead < queue.length) {
      const p = queue[queueHead++] as Pending;
      compactQueue();
      return assign(c, p);
    }
    c.idleSince = performance.now();
    idle.push(c);
  }

  function openConn(): Conn {
    const socket =
      base.protocol === "https:" ? tlsConnect({ host, port, servername: host }) : netConnect({ host, port });
    socket.setNoDelay(true);
    const c: Conn = { socket, reader: new ResponseReader(), req: null, used: 0, idleSince: 0, error: null };
    open++;
    if (open > peak) peak = open;
    socket.on("data", (chunk: Buffer) => {
      const p = c.req;
      if (!p) return; // bytes nobody asked for: ignored
      let r: ReturnType<ResponseReader["push"]>;
      try {
        r = c.reader.push(chunk);
      } catch {
        c.req = null;
        finish(p, 0, "", "protocol_error");
        return void socket.destroy();
      }
      if (!r) return;
      c.used++;
      complete(p, r.status, r.body);
      if (r.close) {
        c.req = null;
        socket.destroy();
      } else release(c);
    });
    socket.on("error", (err) => {
      c.error = err;
    });
    socket.on("close", () => {
      open--;
      const i = idle.indexOf(c);
      if (i >= 0) idle.splice(i, 1);
      const p = c.req;
      c.req = null;
      if (p) {
        const r = c.reader.end();
        if (r) complete(p, r.status, r.body);
        else if (!closed && c.used > 0 && c.reader.received === 0 && !p.retried) {
          // A reused connection the server closed while our request was on its way: nothing was answered, so
          // the request goes again on a fresh connection (the contract's writes are idempotent by request id).
          inFlight.delete(p);
          p.retried = true;
          dispatch(p);
        } else finish(p, 0, "", closed ? "cut_off" : networkCode(c.error));
      }
      // A freed slot lets a queued request open its own connection.
      if (!closed && queueHead < queue.length && open < maxConnections) {
        const q = queue[queueHead++] as Pending;
        compactQueue();
        assign(openConn(), q);
      }
    });
    return c;
  }

  function dispatch(p: Pending) {
    if (closed) return finish(p, 0, "", "cut_off");
    const c = idle.pop();
    if (c) return assign(c, p);
    if (open < maxConnections) return assign(openConn(), p);
    queue.push(p);
  }

  function send(step: Outgoing): Promise<Answer> {
    const head = `${step.method} ${prefix}${step.path} HTTP/1.1\r\n${hostHeader}`;
    const wire =
      step.body === null
        ? `${head}\r\n`
        : `${head}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(step.body)}\r\n\r\n${step.body}`;
    return new Promise<Answer>((resolve) => {
      const now = performance.now();
      dispatch({ wire, startedAt: now, sentAt: -1, resolve, conn: null, retried: false });
    });
  }

  async function preconnect(n: number): Promise<void> {
    const want = Math.min(n, maxConnections) - open;
    const waits: Array<Promise<void>> = [];
    for (let i = 0; i < want; i++) {
      const c = openConn();
      waits.push(
        new Promise<void>((resolve) => {
          c.socket.once(base.protocol === "https:" ? "secureConnect" : "connect", () => {
            if (c.req === null && !closed) {
              c.idleSince = performance.now();
              idle.push(c);
            }
            resolve();
          });
          c.socket.once("close", () => resolve());
        }),
      );
    }
    // Bounded: a server that never accepts must not hold the run before its window.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waits), new Promise<void>((r) => (timer = setTimeout(r, 2_000)))]);
    clearTimeout(timer);
  }

  function shutdown(): Promise<void> {
    if (!closed) {
      closed = true;
      clearInterval(sweep);
      while (queueHead < queue.length) finish(queue[queueHead++] as Pending, 0, "", "cut_off");
      queue.length = queueHead = 0;
      for (const p of [...inFlight]) {
        const c = p.conn;
        finish(p, 0, "", "cut_off");
        if (c) c.req = null;
        c?.socket.destroy();
      }
      for (const c of idle.splice(0)) c.socket.destroy();
    }
    return Promise.resolve();
  }

  return {
    send,
    preconnect,
    connections: () => ({ open, peak, max: maxConnections }),
    destroy: shutdown,
    close: shutdown,
  };
}
