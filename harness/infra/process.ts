import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { constants } from "node:os";

/** What to run and where its output goes. */
export interface SpawnOptions {
  /** Short name used in errors and by the sampler, e.g. `postgres`, `node-2`. */
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this OS user (needs root). The parent-death signal is set after the uid change, so it still holds. */
  user?: string | null;
  /** stdout and stderr are appended here. */
  logFile: string;
  /**
   * True: a child that talks with the harness: its stdin and stdout are pipes (`handle.stdin`, `handle.stdout`)
   * instead of nothing and the log; stderr still logs.
   */
  pipe?: boolean;
}

/** A started child process. `stop()` is idempotent and returns the same promise when called twice. */
export interface ChildHandle {
  readonly label: string;
  readonly pid: number;
  readonly logFile: string;
  /** The child's stdin and stdout when spawned with `pipe`, else null. */
  readonly stdin: NodeJS.WritableStream | null;
  readonly stdout: NodeJS.ReadableStream | null;
  /** Resolves with the exit code (null when ended by a signal) once the process is gone. */
  readonly exited: Promise<number | null>;
  /** True until the process has exited. */
  running(): boolean;
  /** Sends a signal now (no-op once exited). */
  signal(signal: NodeJS.Signals): void;
  /** Sends `signal` (default SIGTERM), waits up to `timeoutMs` (default 10 s), then SIGKILLs. */
  stop(opts?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<number | null>;
}

const live = new Set<ChildHandle>();
/** Synchronous clean-ups that run when the harness exits (network namespaces, ...), after the children are killed. */
const exitHooks = new Set<() => void>();
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p)) ?? null;
let hooksInstalled = false;

/** Every child started through `spawnChild` that has not exited yet. */
/** True while a process with this pid exists (signal 0 checks without signalling; a zombie still counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function liveChildren(): ChildHandle[] {
  return [...live];
}

/** SIGKILLs every live child at once, synchronously (safe inside an `exit` handler). */
export function killAllChildren(): void {
  for (const child of live) {
    try {
      process.kill(child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/**
 * Runs `hook` (synchronous, idempotent) when the harness exits in any way a handler can see: a normal exit,
 * Ctrl-C / SIGTERM / SIGHUP, an uncaught exception. Returns a function that unregisters it.
 */
export function onHarnessExit(hook: () => void): () => void {
  installHooks();
  exitHooks.add(hook);
  return () => exitHooks.delete(hook);
}

function runExitHooks(): void {
  killAllChildren();
  for (const hook of exitHooks) {
    try {
      hook();
    } catch {
      // best effort: the others still run
    }
  }
}

/**
 * Why both layers: `setpriv --pdeathsig KILL` makes the kernel kill each child when the harness dies, even by
 * SIGKILL (no handler runs then); the hooks below cover normal exits, Ctrl-C and crashes. A signal handler only
 * acts when nobody else listens for that signal, so `statebench up` can stop gracefully in its own handler.
 */
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on("exit", runExitHooks);
  process.on("uncaughtExceptionMonitor", runExitHooks);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      if (process.listenerCount(sig) > 1) return;
      killAllChildren();
      process.exit(128 + (constants.signals[sig] ?? 0));
    });
  }
}

function commandLine(opts: SpawnOptions): { file: string; args: string[] } {
  if (SETPRIV === null) {
    if (opts.user) throw new Error(`${opts.label}: setpriv (util-linux) is needed to run as user ${opts.user}`);
    return { file: opts.command, args: opts.args };
  }
  const user = opts.user ? ["--reuid", opts.user, "--regid", opts.user, "--init-groups"] : [];
  return { file: SETPRIV, args: ["--pdeathsig", "KILL", ...user, "--", opts.command, ...opts.args] };
}

/**
 * Starts a child that dies with the harness. It gets its own session (`detached`), so a Ctrl-C in the terminal
 * reaches only the harness, which then stops children in order (app nodes before the database).
 * Call it from the main thread: the kernel's parent-death signal fires when the spawning *thread* exits.
 */
export function spawnChild(opts: SpawnOptions): ChildHandle {
  installHooks();
  const { file, args } = commandLine(opts);
  const fd = openSync(opts.logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: opts.pipe ? ["pipe", "pipe", fd] : ["ignore", fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${opts.label}: cannot start ${file}`);
  let done = false;
  let stopping: Promise<number | null> | null = null;
  const exited = new Promise<number | null>((resolve) => {
    child.on("error", () => {
      // reported through exit
    });
    child.on("exit", (code) => {
      done = true;
      live.delete(handle);
      resolve(code);
    });
  });
  const handle: ChildHandle = {
    label: opts.label,
    pid,
    logFile: opts.logFile,
    stdin: child.stdin ?? null,
    stdout: child.stdout ?? null,
    exited,
    running: () => !done,
    signal(signal) {
      if (done) return;
      try {
        process.kill(pid, signal);
      } catch {
        // exited between the check and the kill
      }
    },
    stop({ signal = "SIGTERM", timeoutMs = 10_000 } = {}) {
      stopping ??= (async () => {
        handle.signal(signal);
        // A cleared timer, not sleep(): a pending timer would keep the harness alive after a quick exit.
        const timer = setTimeout(() => handle.signal("SIGKILL"), timeoutMs);
        const code = await exited;
        clearTimeout(timer);
        return code;
      })();
      return stopping;
    },
  };
  live.add(handle);
  return handle;
}
