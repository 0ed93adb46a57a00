import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  BRIDGE_PREFIX,
  ipCmd,
  NETNS_PREFIX,
  type NetnsState,
  processStartTime,
  removeTagged,
  STATE_DIR,
  sweepStaleNetworks,
  taggedObjects,
  VETH_PREFIX,
} from "./netns-sweep.ts";
import { type ChildHandle, onHarnessExit, type SpawnOptions, spawnChild } from "./process.ts";

export { sweepStaleNetworks, taggedObjects } from "./netns-sweep.ts";

/** One component's "machine": its own network namespace with one address on the run's private subnet. */
export interface NetnsHost {
  /** The component, e.g. `postgres`, `node-1`, `lb`, `driver`. */
  name: string;
  /** Its network namespace (`ip netns exec <netns> ...`). */
  netns: string;
  /** Its address, e.g. `10.77.3.2`: listen on it, or on 0.0.0.0 inside the namespace. */
  ip: string;
}

/** Private hosts on one bridge. `destroy()` is idempotent and synchronous underneath (safe at exit). */
export interface NetnsNetwork {
  /** The run tag every name carries. */
  tag: string;
  /** e.g. `10.77.3.0/24`. */
  subnet: string;
  /** The bridge's address in the root namespace: the harness itself reaches every host through it. */
  gateway: string;
  bridge: string;
  readonly hosts: NetnsHost[];
  host(name: string): NetnsHost;
  /** Adds a host to the running network (a node joining mid-run). */
  addHost(name: string): NetnsHost;
  /**
   * The command line that runs `command args` inside the host's namespace, as `user` when given, for
   * `spawnChild` with `user: null`: `ip netns exec <ns> [setpriv --pdeathsig KILL --reuid u ... --] command args`.
   * The user switch happens inside, after `ip netns exec` (which needs root), and sets the parent-death signal
   * again because a change of uid clears it.
   */
  command(
    host: NetnsHost | string,
    command: string,
    args: string[],
    user?: string | null,
  ): { command: string; args: string[] };
  /** `spawnChild` inside the host's namespace (the child still dies with the harness). */
  spawn(host: NetnsHost | string, opts: SpawnOptions): ChildHandle;
  /** Kills what still runs in the namespaces, removes namespaces, veths, bridge and state. */
  destroy(): void;
}

export interface NetnsOptions {
  /** Host names: lower-case letters, digits and '-', at most 20 characters each. */
  hosts: string[];
}

const HOST_NAME = /^[a-z0-9][a-z0-9-]{0,19}$/;
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p)) ?? "setpriv";
let support: { ok: true } | { ok: false; reason: string } | null = null;

/**
 * Whether network namespaces can be made here: root, iproute2, and the kernel letting us add a namespace, a
 * veth pair and a bridge (a container without CAP_NET_ADMIN cannot). Probed once; the reason says what failed.
 */
export function netnsSupport(): { ok: true } | { ok: false; reason: string } {
  support ??= probeSupport();
  return support;
}

function probeSupport(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== "linux") return { ok: false, reason: "network namespaces are Linux-only" };
  if (process.getuid?.() !== 0) return { ok: false, reason: "network namespaces need root" };
  const probe = `sbprobe${process.pid.toString(36)}`;
  try {
    ipCmd(["netns", "add", probe]);
    try {
      ipCmd(["-n", probe, "link", "add", "p0", "type", "veth", "peer", "name", "p1"]);
      ipCmd(["-n", probe, "link", "add", "b0", "type", "bridge"]);
    } finally {
      ipCmd(["netns", "del", probe]);
    }
    return { ok: true };
  } catch (err) {
    const msg = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
    return { ok: false, reason: `cannot create a network namespace with a veth pair and a bridge: ${msg}` };
  }
}

/** A free 10.77.<n>.0/24: not routed on this machine, and claimed atomically against runs starting at once. */
function claimSubnet(tag: string): number {
  const routes = ipCmd(["-4", "route", "show"]);
  const start = process.pid % 256;
  for (let i = 0; i < 256; i++) {
    const n = (start + i) % 256;
    if (routes.includes(`10.77.${n}.`)) continue;
    try {
      writeFileSync(join(STATE_DIR, `net-${n}`), `${tag}\n`, { flag: "wx" });
      return n;
    } catch {
      // claimed by another run
    }
  }
  throw new Error("no free 10.77.<n>.0/24 subnet (are 256 statebench networks running?)");
}

/**
 * Creates one network namespace per host, each with a veth pair to a bridge in the root namespace and an
 * address on a private /24 (10.77.<n>.0/24: .1 is the bridge, hosts from .2). Loopback is up in every
 * namespace. Leftovers of dead runs are swept first.
 *
 * Clean-up: `destroy()`; and, whatever happens to the caller, at exit (normal, Ctrl-C, SIGTERM, SIGHUP, an
 * uncaught exception) through the harness's exit hooks. If the harness is SIGKILLed no handler runs: its
 * children die with it (parent-death signal), and the next `createNetwork` (or `sweepStaleNetworks()`)
 * removes what it left, recognised by the dead owner pid in every name.
 * @example
 * const net = createNetwork({ hosts: ["postgres", "node-1", "lb"] });
 * const pg = net.spawn("postgres", { label: "postgres", command: "postgres", args: [...], logFile });
 * net.destroy();
 */
export function createNetwork(opts: NetnsOptions): NetnsNetwork {
  const ok = netnsSupport();
  if (!ok.ok) throw new Error(ok.reason);
  for (const h of opts.hosts) if (!HOST_NAME.test(h)) throw new Error(`host name "${h}": [a-z0-9-], at most 20`);
  if (new Set(opts.hosts).size !== opts.hosts.length) throw new Error("host names must be distinct");
  mkdirSync(STATE_DIR, { recursive: true });
  sweepStaleNetworks();

  const tag =
    process.pid.toString(36).padStart(5, "0") + randomBytes(4).readUInt32BE(0).toString(36).slice(-2).padStart(2, "0");
  const startTime = processStartTime(process.pid) ?? "";
  const subnet = claimSubnet(tag);
  const state: NetnsState = { tag, pid: process.pid, startTime, subnet };
  writeFileSync(join(STATE_DIR, `${tag}.json`), JSON.stringify(state));
  const prefix = `10.77.${subnet}`;
  const bridge = `${BRIDGE_PREFIX}${tag}`;
  const hosts: NetnsHost[] = [];
  let destroyed = false;
  let unhook = () => {};

  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    unhook();
    removeTagged(tag);
  };
  unhook = onHarnessExit(destroy);

  const addHost = (name: string): NetnsHost => {
    if (destroyed) throw new Error("the network is destroyed");
    if (!HOST_NAME.test(name)) throw new Error(`host name "${name}": [a-z0-9-], at most 20`);
    if (hosts.some((h) => h.name === name)) throw new Error(`host ${name} exists`);
    const index = hosts.length;
    if (index > 250) throw new Error("at most 251 hosts per network");
    const netns = `${NETNS_PREFIX}${tag}-${name}`;
    const outer = `${VETH_PREFIX}${tag}${index.toString(36).padStart(2, "0")}`;
    const inner = `sbp${tag}${index.toString(36).padStart(2, "0")}`;
    const ip = `${prefix}.${index + 2}`;
    ipCmd(["netns", "add", netns]);
    ipCmd(["link", "add", outer, "type", "veth", "peer", "name", inner]);
    ipCmd(["link", "set", inner, "netns", netns]);
    ipCmd(["-n", netns, "link", "set", inner, "name", "eth0"]);
    ipCmd(["-n", netns, "addr", "add", `${ip}/24`, "dev", "eth0"]);
    ipCmd(["-n", netns, "link", "set", "eth0", "up"]);
    ipCmd(["-n", netns, "link", "set", "lo", "up"]);
    ipCmd(["link", "set", outer, "master", bridge, "up"]);
    const host = { name, netns, ip };
    hosts.push(host);
    return host;
  };

  try {
    ipCmd(["link", "add", bridge, "type", "bridge"]);
    ipCmd(["addr", "add", `${prefix}.1/24`, "dev", bridge]);
    ipCmd(["link", "set", bridge, "up"]);
    for (const h of opts.hosts) addHost(h);
  } catch (err) {
    destroy();
    throw err;
  }

  const find = (h: NetnsHost | string): NetnsHost => {
    const name = typeof h === "string" ? h : h.name;
    const host = hosts.find((x) => x.name === name);
    if (!host) throw new Error(`no host ${name} (known: ${hosts.map((x) => x.name).join(", ")})`);
    return host;
  };
  const command: NetnsNetwork["command"] = (h, cmd, args, user = null) => {
    const asUser = user
      ? [SETPRIV, "--pdeathsig", "KILL", "--reuid", user, "--regid", user, "--init-groups", "--"]
      : [];
    return { command: "ip", args: ["netns", "exec", find(h).netns, ...asUser, cmd, ...args] };
  };
  return {
    tag,
    subnet: `${prefix}.0/24`,
    gateway: `${prefix}.1`,
    bridge,
    get hosts() {
      return [...hosts];
    },
    host: find,
    addHost,
    command,
    spawn: (h, o) => spawnChild({ ...o, ...command(h, o.command, o.args, o.user ?? null), user: null }),
    destroy,
  };
}

/** Every namespace and link of one run still present (empty once destroyed): for tests and diagnostics. */
export function networkLeftovers(tag: string): string[] {
  const objs = taggedObjects().get(tag);
  const files = [`${tag}.json`].filter((f) => existsSync(join(STATE_DIR, f)));
  return [...(objs?.netns ?? []), ...(objs?.links ?? []), ...files];
}

/** For tests: removes one run's objects now, whether or not its owner lives. */
export const removeNetwork = (tag: string): void => {
  removeTagged(tag);
  rmSync(join(STATE_DIR, `${tag}.json`), { force: true });
};
