import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { serviceUser } from "./os-user.ts";
import { LOCAL, type Placement } from "./placement.ts";
import { freePort } from "./ports.ts";
import { type ChildHandle, spawnChild } from "./process.ts";
import { ensureRunDir, logTail, removeDir, sleep } from "./run-dir.ts";

/** Options for `startPostgres`. */
export interface PostgresOptions {
  /**
   * Folder for the cluster (`<runDir>/pg`), its socket and `logs/postgres.log`. Default: a fresh temp folder,
   * removed by `stop()`; a given folder is kept.
   */
  runDir?: string;
  /** Extra `postgresql.conf` settings, e.g. `{ synchronous_commit: "off" }` for an experiment. */
  settings?: Record<string, string>;
  /** How long to wait for the server to accept connections (default 30 s). */
  timeoutMs?: number;
  /** Where the server runs and listens (default: this machine's 127.0.0.1). Ignored when DATABASE_URL is reused. */
  placement?: Placement;
}

/** A running (or reused) PostgreSQL. `stop()` is idempotent; a no-op for a reused `DATABASE_URL`. */
export interface PostgresServer {
  url: string;
  /** Null when `DATABASE_URL` was reused. */
  pid: number | null;
  process: ChildHandle | null;
  runDir: string | null;
  stop(): Promise<void>;
}

const DB = "statebench";

// Durable on purpose: fsync and synchronous commit as in production, so figures reflect a real database.
const BASE_SETTINGS: Record<string, string> = {
  fsync: "on",
  synchronous_commit: "on",
  full_page_writes: "on",
  shared_preload_libraries: "'pg_stat_statements'",
  "pg_stat_statements.track": "all",
  max_connections: "300",
  shared_buffers: "256MB",
  logging_collector: "off",
  password_encryption: "'scram-sha-256'",
};

/** The newest PostgreSQL server binaries: `$PG_BIN`, else `/usr/lib/postgresql/<newest>/bin`. */
export function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "postgres")))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error("PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: run `npm run setup`");
  }
  return join(root, newest, "bin");
}

/** The server version string (`SHOW server_version`), e.g. "15.14 (Debian 15.14-0+deb12u1)". */
export async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ server_version: string }>("SHOW server_version");
    return res.rows[0]?.server_version ?? "unknown";
  } finally {
    await client.end();
  }
}

async function tryConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    await client.end().catch(() => {});
    return false;
  }
}

async function run(label: string, bin: string, args: string[], logFile: string, user: string | null): Promise<void> {
  const child = spawnChild({ label, command: bin, args, logFile, user });
  const code = await child.exited;
  if (code !== 0) throw new Error(`${label} failed (exit ${code}):\n${logTail(logFile)}`);
}

async function sql(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

/**
 * Starts a private PostgreSQL cluster (initdb into `<runDir>/pg`, a free port on 127.0.0.1, fsync on,
 * pg_stat_statements preloaded and created in database `statebench`, max_connections 300), running the
 * `postgres` binary in the foreground as a child; as root it runs as the `postgres` user. Every connection, TCP
 * or unix socket, authenticates with scram-sha-256 and a password generated for this cluster, carried in `url`
 * (never `trust`: that would make any local process a superuser, and the same setup must be safe off loopback).
 * Reuses `DATABASE_URL` when set.
 * @example const db = await startPostgres(); // db.url = postgres://statebench:<password>@127.0.0.1:PORT/statebench
 */
export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresServer> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, pid: null, process: null, runDir: null, stop: async () => {} };

  const { dir: runDir, owned } = await ensureRunDir(opts.runDir);
  const place = opts.placement ?? LOCAL;
  const bin = postgresBinDir();
  const user = serviceUser();
  // The service user must reach the cluster: when a folder above runDir is closed to others (a private
  // mkdtemp, a home folder), the cluster goes to a temp folder of its own, removed on stop.
  const clusterDir =
    user && !reachableByOthers(dirname(runDir)) ? mkdtempSync(join(tmpdir(), "statebench-pg-")) : runDir;
  const dataDir = join(clusterDir, "pg");
  const sockDir = join(clusterDir, "pg-sock");
  const logs = join(runDir, "logs");
  mkdirSync(logs, { recursive: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(sockDir, { recursive: true });
  if (user) {
    // The service user must traverse runDir (mkdtemp makes it 0700) and own the cluster folders.
    chmodSync(clusterDir, statSync(clusterDir).mode | 0o111);
    chownSync(dataDir, user.uid, user.gid);
    chownSync(sockDir, user.uid, user.gid);
  }
  chmodSync(dataDir, 0o700);

  // The superuser's password reaches initdb through a file only its user can read, removed right after (a
  // command-line argument would show in `ps`). base64url: safe in a URL without escaping.
  const password = randomBytes(18).toString("base64url");
  const pwFile = join(clusterDir, "pg-password");
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (user) chownSync(pwFile, user.uid, user.gid);
  // --no-sync only skips flushing the freshly copied template files; the running server fsyncs as configured.
  const initArgs = [
    "-D",
    dataDir,
    "-U",
    DB,
    "--auth-local=scram-sha-256",
    "--auth-host=scram-sha-256",
    `--pwfile=${pwFile}`,
    "--encoding=UTF8",
    "--locale=C",
    "--no-sync",
  ];
  try {
    await run("initdb", join(bin, "initdb"), initArgs, join(logs, "initdb.log"), user?.name ?? null);
  } finally {
    unlinkSync(pwFile);
  }
  // initdb lets in loopback clients only; on its own host the server is reached over the private network
  // (with the same password).
  if (place.address !== LOCAL.address)
    appendFileSync(join(dataDir, "pg_hba.conf"), `\nhost all all ${place.clients} scram-sha-256\n`);

  const timeoutMs = opts.timeoutMs ?? 30_000;
  const logFile = join(logs, "postgres.log");
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const settings = {
      ...BASE_SETTINGS,
      ...opts.settings,
      listen_addresses: `'${place.address}'`,
      port: String(port),
      unix_socket_directories: `'${sockDir}'`,
    };
    appendFileSync(
      join(dataDir, "postgresql.conf"),
      `\n# statebench (attempt ${attempt})\n${Object.entries(settings)
        .map(([k, v]) => `${k} = ${v}`)
        .join("\n")}\n`,
    );
    const child = place.spawn({
      label: "postgres",
      command: join(bin, "postgres"),
      args: ["-D", dataDir],
      logFile,
      user: user?.name ?? null,
    });
    const adminUrl = `postgres://${DB}:${password}@${place.address}:${port}/postgres`;
    const deadline = Date.now() + timeoutMs;
    let ready = false;
    while (child.running() && Date.now() < deadline) {
      if (await tryConnect(adminUrl)) {
        ready = true;
        break;
      }
      await sleep(50);
    }
    if (!ready) {
      await child.stop({ signal: "SIGKILL" });
      const tail = logTail(logFile);
      if (attempt < 3 && /already in use/i.test(tail)) continue;
      if (owned) await removeDir(runDir);
      if (clusterDir !== runDir) await removeDir(clusterDir);
      throw new Error(`postgres did not accept connections within ${timeoutMs} ms. Log ${logFile}:\n${tail}`);
    }
    try {
      await sql(adminUrl, [`CREATE DATABASE ${DB}`]);
      const url = `postgres://${DB}:${password}@${place.address}:${port}/${DB}`;
      await sql(url, ["CREATE EXTENSION IF NOT EXISTS pg_stat_statements"]);
      let stopping: Promise<void> | null = null;
      return {
        url,
        pid: child.pid,
        process: child,
        runDir,
        // SIGINT is PostgreSQL's "fast" shutdown: aborts sessions, writes a checkpoint, exits.
        stop: () => {
          stopping ??= child
            .stop({ signal: "SIGINT", timeoutMs: 15_000 })
            .then(() => (owned ? removeDir(runDir) : undefined))
            .then(() => (clusterDir !== runDir ? removeDir(clusterDir) : undefined));
          return stopping;
        },
      };
    } catch (err) {
      await child.stop({ signal: "SIGKILL" });
      throw err;
    }
  }
}

/** True when every folder from `dir` up to `/` lets other users through (the execute bit for "others"). */
function reachableByOthers(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}
