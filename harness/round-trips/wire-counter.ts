import { connect, createServer, type Socket } from "node:net";

/**
 * One exchange on a connection: the client spoke (one or more chunks) and the server answered (one or more
 * chunks) before the client spoke again. A request-response protocol (RESP, the PostgreSQL protocol) makes one
 * turn per network round trip, however many commands a pipeline or a multi-statement batch carries.
 */
export interface Turn {
  connection: number;
  /** performance.now() of the client's first chunk. */
  startMs: number;
  /** performance.now() of the server's last chunk so far (the start while unanswered). */
  endMs: number;
  answered: boolean;
}

/** A counting TCP proxy in front of one server (PostgreSQL, Redis, an app node). `close()` is idempotent. */
export interface WireCounter {
  name: string;
  /** `127.0.0.1:PORT`: point the client here instead of at the server. */
  address: string;
  port: number;
  /** Turns that started in [fromMs, toMs). */
  turns(fromMs: number, toMs: number): Turn[];
  close(): Promise<void>;
}

/**
 * Starts a TCP proxy on 127.0.0.1 that forwards to `target` (`host:port`) and records every turn of every
 * connection through it. It only watches which side speaks when, never parses the protocol, so it counts what
 * went over the wire whatever client library made the calls.
 * @example const pg = await startWireCounter("postgres", "127.0.0.1:5432");
 */
export async function startWireCounter(name: string, target: string): Promise<WireCounter> {
  const [host = "127.0.0.1", portText = ""] = target.split(/:(?=\d+$)/);
  const targetPort = Number(portText);
  if (!Number.isInteger(targetPort) || targetPort <= 0) throw new Error(`${name}: bad target ${target}`);
  const turns: Turn[] = [];
  const sockets = new Set<Socket>();
  let nextConnection = 0;

  const server = createServer((client) => {
    const id = nextConnection++;
    const upstream = connect(targetPort, host);
    sockets.add(client);
    sockets.add(upstream);
    let current: Turn | null = null;
    client.on("data", (chunk) => {
      // The client speaking after an answer opens a new turn; more chunks before any answer belong to it.
      if (current === null || current.answered) {
        const now = performance.now();
        current = { connection: id, startMs: now, endMs: now, answered: false };
        turns.push(current);
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (current !== null) {
        current.endMs = performance.now();
        current.answered = true;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      s.on("error", end);
      s.on("close", end);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  let closing: Promise<void> | null = null;
  return {
    name,
    address: `127.0.0.1:${port}`,
    port,
    turns: (fromMs, toMs) => turns.filter((t) => t.startMs >= fromMs && t.startMs < toMs),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

/**
 * Sequential round trips among `turns`: turns that overlap in time (parallel calls, on one connection or several)
 * count once, as they cost one round trip of latency together.
 * @example sequentialRoundTrips([{ startMs: 0, endMs: 2 }, { startMs: 1, endMs: 3 }, { startMs: 5, endMs: 6 }]) // 2
 */
export function sequentialRoundTrips(turns: ReadonlyArray<Pick<Turn, "startMs" | "endMs">>): number {
  const sorted = [...turns].sort((a, b) => a.startMs - b.startMs);
  let waves = 0;
  let waveEnd = Number.NEGATIVE_INFINITY;
  for (const t of sorted) {
    if (t.startMs > waveEnd) waves++;
    waveEnd = Math.max(waveEnd, t.endMs);
  }
  return waves;
}
