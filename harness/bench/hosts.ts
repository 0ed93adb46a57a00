import { createNetwork, type NetnsNetwork, netnsPlacement, type Placement } from "../infra/index.ts";
import { type Stack, startStack } from "../stack/index.ts";
import type { RunOneContext } from "./run-one.ts";
import { stackTarget, type Target } from "./target.ts";

/** A private stack as a target, with where the driver runs (null: in the harness's own process). */
export interface PrivateStack {
  stack: Stack;
  target: Target;
  driverPlacement: Placement | null;
  stop(): Promise<void>;
}

/**
 * Starts the scenario's stack for one app: on 127.0.0.1 (`--hosts local`), or with every component on its own
 * host (`--hosts netns`): PostgreSQL, Redis, HAProxy with the routing publisher beside it, each app process and
 * the driver, each in a network namespace of one private /24. Servers there listen on their namespace's address:
 * a veth link to a bridge on this machine, which no one outside it reaches. The network goes with `stop()`, and
 * with the harness however it ends (exit hooks; the sweeper after a SIGKILL).
 */
export async function startPrivateStack(c: RunOneContext): Promise<PrivateStack> {
  const net: NetnsNetwork | null = c.options.hosts === "netns" ? createNetwork({ hosts: ["driver"] }) : null;
  let stack: Stack;
  try {
    stack = await startStack({
      app: c.app,
      nodes: c.scenario.cluster.nodes,
      nodeCpu: c.scenario.cluster.nodeCpu,
      runDir: c.dir,
      keepRunDir: true,
      writeMode: c.options.writeMode,
      persistence: c.options.persistence,
      granularity: c.options.granularity,
      env: c.options.appEnv,
      warn: c.log,
      ...(net ? { place: (name: string) => netnsPlacement(net, name) } : {}),
    });
  } catch (err) {
    net?.destroy();
    throw err;
  }
  const stop = async () => {
    try {
      await stack.stop();
    } finally {
      net?.destroy();
    }
  };
  // The driver's agent (or k6) is watched by the caller once it runs; this process orchestrates and audits.
  if (!net) return { stack, target: stackTarget(stack, { harness: true }), driverPlacement: null, stop };
  c.log(`hosts: ${net.hosts.map((h) => `${h.name} ${h.ip}`).join(", ")} (${net.subnet})`);
  return {
    stack,
    // The driver's pid is watched by the caller once its agent runs; this process only orchestrates and audits.
    target: stackTarget(stack, {
      mode: "netns",
      subnet: net.subnet,
      driver: () => ({ host: "driver", sampledBy: "proc" }),
      harness: true,
    }),
    driverPlacement: netnsPlacement(net, "driver"),
    stop,
  };
}
