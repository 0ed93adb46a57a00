import type { NetnsNetwork } from "./netns.ts";
import { type ChildHandle, type SpawnOptions, spawnChild } from "./process.ts";

/**
 * Where a server runs: the address it listens on (and clients use) and how to start a process there. The
 * starters (PostgreSQL, Redis, HAProxy, app nodes) take one, so the same code runs everything on this machine's
 * loopback or each component on its own host (a network namespace here, a machine elsewhere).
 */
export interface Placement {
  /** The host's name in the topology (`local` on loopback). */
  host: string;
  /** The address servers bind and clients dial: `127.0.0.1`, or the namespace's veth address. */
  address: string;
  /** Who may connect, as a CIDR (PostgreSQL's pg_hba.conf needs it for a non-loopback address). */
  clients: string;
  /** The network namespace, null on the machine's own. */
  netns: string | null;
  spawn(opts: SpawnOptions): ChildHandle;
}

/** Everything on this machine's 127.0.0.1. */
export const LOCAL: Placement = {
  host: "local",
  address: "127.0.0.1",
  clients: "127.0.0.1/32",
  netns: null,
  spawn: spawnChild,
};

/**
 * The component `name` on its own host of `net`, created on first use (a node that joins mid-run gets a new
 * namespace). Its servers listen on the namespace's address: a private veth link, reachable from the other
 * hosts and from the harness (through the bridge), not from outside this machine.
 */
export function netnsPlacement(net: NetnsNetwork, name: string): Placement {
  const host = net.hosts.find((h) => h.name === name) ?? net.addHost(name);
  return {
    host: host.name,
    address: host.ip,
    clients: net.subnet,
    netns: host.netns,
    spawn: (opts) => net.spawn(host, opts),
  };
}

/** `http://<address>:<port>` (IPv6 addresses are bracketed). */
export const httpUrl = (p: Pick<Placement, "address">, port: number): string =>
  `http://${p.address.includes(":") ? `[${p.address}]` : p.address}:${port}`;
