import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BACKEND, type HaproxyAdmission, type HaproxyRouting, haproxyConfig, SLOT_PREFIX } from "./haproxy-config.ts";
import { haproxyCommand, parseShowStat } from "./haproxy-runtime.ts";
import { httpUrl, LOCAL, type Placement } from "./placement.ts";
import { freePort } from "./ports.ts";
import type { ChildHandle } from "./process.ts";
import { ensureRunDir, logTail, removeDir, sleep } from "./run-dir.ts";

/** An app node the balancer sends traffic to. `url` is `http://127.0.0.1:PORT`. */
export interface Backend {
  id: string;
  url: string;
}

/** Options for `startHaproxy`. */
export interface HaproxyOptions {
  /** Folder for `haproxy.cfg`, `haproxy.sock` and `logs/haproxy.log`. Default: a fresh temp folder. */
  runDir?: string;
  /** Backends to add (and wait for) right away. */
  backends?: Backend[];
  /** How many backends can ever be registered at once (server-template slots; default 32). */
  slots?: number;
  /** HAProxy threads (default 1: the balancer shares the machine with the apps and the load generator). */
  threads?: number;
  balance?: "roundrobin" | "leastconn";
  /**
   * Route actor-addressed requests to their shard's owner (the stateful app): the shard -> server map starts
   * empty at `<runDir>/shards.map` and is filled through the runtime API (`stateful-app/lb-sync`).
   */
  routing?: Omit<HaproxyRouting, "mapPath">;
  /** Per-server maxconn, queue bound and queue timeout (default `DEFAULT_ADMISSION`). */
  admission?: HaproxyAdmission;
  /** How long to wait for HAProxy itself, and then for each backend to pass its health check (default 15 s). */
  timeoutMs?: number;
  /**
   * Where HAProxy runs and listens (default: this machine's 127.0.0.1). The runtime API stays a Unix socket in
   * `runDir`: a path, not an address, it is reachable from every network namespace of this machine.
   */
  placement?: Placement;
}

/** Counters of one backend server, from the runtime API's `show stat`. */
export interface BackendStat {
  id: string;
  url: string;
  /** The template slot, e.g. `s3`. */
  slot: string;
  /** False once removed (counters stay readable). */
  registered: boolean;
  /** HAProxy's status: UP, DOWN, MAINT, DRAIN, "UP 1/2", ... */
  status: string;
  /** Last health check result, e.g. L7OK, L4CON. */
  checkStatus: string;
  currentSessions: number;
  /** Sessions (connections) sent to this server since it was registered in its slot. */
  sessions: number;
  /** HTTP responses by class. */
  http2xx: number;
  http4xx: number;
  http5xx: number;
  /** Failed connection attempts / response errors (e.g. the server closed the connection mid-response). */
  connectionErrors: number;
  responseErrors: number;
  retries: number;
  redispatches: number;
}

/** A running HAProxy in front of the app nodes. `stop()` is idempotent. */
export interface Haproxy {
  /** `http://127.0.0.1:PORT`: the address clients use. */
  url: string;
  pid: number;
  process: ChildHandle;
  socketPath: string;
  configPath: string;
  /** The owner-routing map file (shard -> server), as HAProxy names it; null without routing. */
  mapPath: string | null;
  /** Backend whose servers the nodes are. */
  backend: string;
  /** Points a free slot at the backend and waits (unless `waitUp: false`) until its health check passes. */
  addBackend(backend: Backend, opts?: { waitUp?: boolean }): Promise<void>;
  /** Stops new requests to the backend, letting requests in flight finish (call before a graceful stop). */
  drainBackend(id: string): Promise<void>;
  /** Takes the backend out of rotation (maintenance) and frees its slot. */
  removeBackend(id: string): Promise<void>;
  /** Counters of every backend registered so far (removed ones included, `registered: false`). */
  stats(): Promise<BackendStat[]>;
  /** A raw runtime API command, e.g. `show info`. */
  command(cmd: string): Promise<string>;
  stop(): Promise<void>;
}

interface Slot {
  name: string;
  backend: Backend | null;
  lastBackend: Backend | null;
  /** Counter values when the slot was (re)assigned: a reused slot's counters start from them. */
  baseline: Record<string, number>;
}

const COUNTERS = ["stot", "hrsp_2xx", "hrsp_4xx", "hrsp_5xx", "econ", "eresp", "wretr", "wredis"] as const;

const RUNTIME_ERROR = /no such|unknown|invalid|require|not found|error|can't|cannot/i;

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  const host = u.hostname === "localhost" ? "127.0.0.1" : u.hostname;
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(host)) throw new Error(`haproxy backend ${url}: the host must be an IPv4 address`);
  return { host, port: Number(u.port || 80) };
}

/**
 * Starts HAProxy 2.6 (`haproxy -db`, a child of the harness) on 127.0.0.1 and a free port, with active health
 * checks (`GET /health`), retries of connection failures only, and a runtime API socket through which backends
 * are added and removed while it runs.
 * @example
 * const lb = await startHaproxy({ runDir, backends: [{ id: "node-1", url: "http://127.0.0.1:4001" }] });
 * await lb.addBackend({ id: "node-2", url: "http://127.0.0.1:4002" });
 */
export async function startHaproxy(opts: HaproxyOptions = {}): Promise<Haproxy> {
  const { dir: runDir, owned } = await ensureRunDir(opts.runDir);
  const place = opts.placement ?? LOCAL;
  const logs = join(runDir, "logs");
  mkdirSync(logs, { recursive: true });
  const socketPath = join(runDir, "haproxy.sock");
  // sun_path holds 108 bytes; a deep run folder would make HAProxy fail with a less obvious message.
  if (Buffer.byteLength(socketPath) > 100) throw new Error(`haproxy: socket path too long: ${socketPath}`);
  const configPath = join(runDir, "haproxy.cfg");
  const logFile = join(logs, "haproxy.log");
  const mapPath = opts.routing ? join(runDir, "shards.map") : null;
  if (mapPath) writeFileSync(mapPath, "# shard -> server, filled through the runtime API\n");
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const slots: Slot[] = Array.from({ length: opts.slots ?? 32 }, (_, i) => ({
    name: `${SLOT_PREFIX}${i + 1}`,
    backend: null,
    lastBackend: null,
    baseline: {},
  }));
  // Final counters of backends whose slot was reused by another backend.
  const retired: BackendStat[] = [];

  let child: ChildHandle | null = null;
  let port = 0;
  for (let attempt = 1; child === null; attempt++) {
    port = await freePort();
    const config = haproxyConfig({
      address: place.address,
      port,
      socketPath,
      slots: slots.length,
      threads: opts.threads ?? 1,
      balance: opts.balance ?? "roundrobin",
      routing: opts.routing && mapPath ? { ...opts.routing, mapPath } : undefined,
      admission: opts.admission,
    });
    writeFileSync(configPath, config);
    const started = place.spawn({ label: "haproxy", command: "haproxy", args: ["-db", "-f", configPath], logFile });
    const deadline = Date.now() + timeoutMs;
    let ready = false;
    while (started.running() && Date.now() < deadline) {
      const info = await haproxyCommand(socketPath, "show info", 1000).catch(() => "");
      if (info.includes("Pid:")) {
        ready = true;
        break;
      }
      await sleep(20);
    }
    if (ready) {
      child = started;
      break;
    }
    await started.stop({ signal: "SIGKILL" });
    const tail = logTail(logFile);
    if (attempt < 3 && /cannot bind|address already in use/i.test(tail)) continue;
    if (owned) await removeDir(runDir);
    throw new Error(`haproxy did not start within ${timeoutMs} ms. Log ${logFile}:\n${tail}`);
  }
  const proc = child;

  const command = async (cmd: string): Promise<string> => {
    const answer = await haproxyCommand(socketPath, cmd);
    if (RUNTIME_ERROR.test(answer)) throw new Error(`haproxy runtime API "${cmd}": ${answer.trim()}`);
    return answer;
  };
  const slotOf = (id: string): Slot => {
    const slot = slots.find((s) => s.backend?.id === id);
    if (!slot) throw new Error(`haproxy: no backend ${id}`);
    return slot;
  };

  const readRows = async () =>
    parseShowStat(await haproxyCommand(socketPath, "show stat")).filter((r) => r.pxname === BACKEND);
  const toStat = (slot: Slot, backend: Backend, row: Record<string, string>): BackendStat => {
    const n = (k: string) => Number(row[k] || 0) - (slot.baseline[k] ?? 0);
    return {
      id: backend.id,
      url: backend.url,
      slot: slot.name,
      registered: slot.backend !== null,
      status: row.status ?? "",
      checkStatus: row.check_status ?? "",
      currentSessions: n("scur"),
      sessions: n("stot"),
      http2xx: n("hrsp_2xx"),
      http4xx: n("hrsp_4xx"),
      http5xx: n("hrsp_5xx"),
      connectionErrors: n("econ"),
      responseErrors: n("eresp"),
      retries: n("wretr"),
      redispatches: n("wredis"),
    };
  };
  const stats = async (): Promise<BackendStat[]> => {
    const rows = await readRows();
    const out: BackendStat[] = [...retired];
    for (const slot of slots) {
      const backend = slot.backend ?? slot.lastBackend;
      const row = rows.find((r) => r.svname === slot.name);
      if (backend && row) out.push(toStat(slot, backend, row));
    }
    return out;
  };

  const addBackend = async (backend: Backend, { waitUp = true } = {}): Promise<void> => {
    if (slots.some((s) => s.backend?.id === backend.id)) throw new Error(`haproxy: backend ${backend.id} exists`);
    const { host, port: backendPort } = hostPort(backend.url);
    // Prefer a never-used slot so each slot's counters belong to one backend; reuse freed slots when none is left.
    const slot = slots.find((s) => s.backend === null && s.lastBackend === null) ?? slots.find((s) => !s.backend);
    if (!slot) throw new Error(`haproxy: all ${slots.length} backend slots are in use`);
    if (slot.lastBackend !== null) {
      const row = (await readRows()).find((r) => r.svname === slot.name);
      if (row) {
        retired.push({ ...toStat(slot, slot.lastBackend, row), registered: false });
        slot.baseline = Object.fromEntries(COUNTERS.map((k) => [k, Number(row[k] || 0)]));
      }
    }
    slot.backend = backend;
    slot.lastBackend = backend;
    const server = `${BACKEND}/${slot.name}`;
    await command(`set server ${server} addr ${host} port ${backendPort}`);
    // A server leaving maintenance counts as UP before any check ("UP 1/2", INI); forcing it DOWN right after
    // means it takes traffic only once a real GET /health succeeded (the stack adds nodes that already answer it).
    await command(`set server ${server} state ready`);
    await command(`set server ${server} health down`);
    if (!waitUp) return;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stat = (await stats()).find((s) => s.slot === slot.name);
      if (stat?.status === "UP") return;
      if (Date.now() > deadline) {
        throw new Error(
          `haproxy: backend ${backend.id} (${backend.url}) did not pass GET /health within ${timeoutMs} ms (${stat?.status} ${stat?.checkStatus})`,
        );
      }
      await sleep(50);
    }
  };

  let stopping: Promise<void> | null = null;
  const lb: Haproxy = {
    url: httpUrl(place, port),
    pid: proc.pid,
    process: proc,
    socketPath,
    configPath,
    mapPath,
    backend: BACKEND,
    addBackend,
    drainBackend: async (id) => {
      await command(`set server ${BACKEND}/${slotOf(id).name} state drain`);
    },
    removeBackend: async (id) => {
      const slot = slotOf(id);
      await command(`set server ${BACKEND}/${slot.name} state maint`);
      slot.backend = null;
    },
    stats,
    command,
    stop: () => {
      stopping ??= proc
        .stop({ signal: "SIGTERM", timeoutMs: 5000 })
        .then(() => (owned ? removeDir(runDir) : undefined));
      return stopping;
    },
  };
  try {
    for (const b of opts.backends ?? []) await addBackend(b);
  } catch (err) {
    await lb.stop();
    throw err;
  }
  return lb;
}
