import { mkdirSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { LOCAL, type Placement } from "./placement.ts";
import { freePort } from "./ports.ts";
import type { ChildHandle } from "./process.ts";
import { ensureRunDir, logTail, removeDir, sleep } from "./run-dir.ts";

/** Options for `startRedis`. */
export interface RedisOptions {
  /** Folder for `logs/redis.log` and `redis/` data. Default: a fresh temp folder, removed by `stop()`. */
  runDir?: string;
  /** "none" (default): no RDB, no AOF. "aof": append-only file fsynced every second. "aof-always": every write. */
  persistence?: "none" | "aof" | "aof-always";
  /** How long to wait for PING to answer (default 10 s). */
  timeoutMs?: number;
  /** Where the server runs and listens (default: this machine's 127.0.0.1). Ignored when REDIS_URL is reused. */
  placement?: Placement;
}

/** A running (or reused) Redis. `stop()` is idempotent; a no-op for a reused `REDIS_URL`. */
export interface RedisServer {
  url: string;
  /** Null when `REDIS_URL` was reused. */
  pid: number | null;
  process: ChildHandle | null;
  stop(): Promise<void>;
}

/** Sends PING over a raw socket; true when `+PONG` comes back. */
export function pingRedis(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let buf = "";
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.on("error", () => finish(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => {
      buf += d.toString();
      if (buf.includes("\r\n")) finish(buf.startsWith("+PONG"));
    });
  });
}

/** The server version string (`INFO server` -> redis_version), e.g. "7.0.15". */
export function redisVersion(port: number, host = "127.0.0.1"): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host });
    let buf = "";
    socket.setTimeout(2000, () => socket.destroy(new Error("redisVersion: timeout")));
    socket.on("error", reject);
    socket.on("connect", () => socket.write("INFO server\r\n"));
    socket.on("data", (d) => {
      buf += d.toString();
      const m = /redis_version:([^\r\n]+)/.exec(buf);
      if (m?.[1]) {
        socket.destroy();
        resolve(m[1]);
      }
    });
  });
}

/**
 * Starts a private `redis-server` on 127.0.0.1 and a free port, without persistence unless asked; ready when PING
 * answers. Reuses `REDIS_URL` when set.
 * @example const redis = await startRedis(); // redis.url = redis://127.0.0.1:PORT
 */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisServer> {
  const external = process.env.REDIS_URL;
  if (external) return { url: external, pid: null, process: null, stop: async () => {} };

  const { dir: runDir, owned } = await ensureRunDir(opts.runDir);
  const place = opts.placement ?? LOCAL;
  const logs = join(runDir, "logs");
  const dataDir = join(runDir, "redis");
  mkdirSync(logs, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  const persistence = opts.persistence ?? "none";
  const persistArgs =
    persistence === "none"
      ? ["--appendonly", "no"]
      : ["--appendonly", "yes", "--appendfsync", persistence === "aof" ? "everysec" : "always"];
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const logFile = join(logs, "redis.log");

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // Protected mode (no password: loopback clients only) is off on a host of its own: the clients are on the
    // run's private network, and the address is a veth link no one outside this machine reaches.
    const protectedMode = place.address === LOCAL.address ? [] : ["--protected-mode", "no"];
    const child = place.spawn({
      label: "redis",
      command: "redis-server",
      args: [
        "--bind",
        place.address,
        "--port",
        String(port),
        ...protectedMode,
        "--save",
        "",
        ...persistArgs,
        "--dir",
        dataDir,
      ],
      logFile,
    });
    const deadline = Date.now() + timeoutMs;
    let ready = false;
    while (child.running() && Date.now() < deadline) {
      if (await pingRedis(port, place.address)) {
        ready = true;
        break;
      }
      await sleep(20);
    }
    if (!ready) {
      await child.stop({ signal: "SIGKILL" });
      const tail = logTail(logFile);
      if (attempt < 3 && /already in use/i.test(tail)) continue;
      if (owned) await removeDir(runDir);
      throw new Error(`redis-server did not answer PING within ${timeoutMs} ms. Log ${logFile}:\n${tail}`);
    }
    let stopping: Promise<void> | null = null;
    return {
      url: `redis://${place.address}:${port}`,
      pid: child.pid,
      process: child,
      stop: () => {
        stopping ??= child
          .stop({ signal: "SIGTERM", timeoutMs: 10_000 })
          .then(() => (owned ? removeDir(runDir) : undefined));
        return stopping;
      },
    };
  }
}
