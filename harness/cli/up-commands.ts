import type { AppNode, Stack } from "../stack/index.ts";

/** One answer line to a stdin command. */
export type CommandAnswer = { ok: true; cmd: string; [k: string]: unknown } | { ok: false; cmd: string; error: string };

const SIGNALS = new Set(["SIGKILL", "SIGTERM", "SIGINT", "SIGSTOP", "SIGCONT", "SIGHUP", "SIGUSR1", "SIGUSR2"]);

/** The public view of a node (what `up` prints). */
export function nodeView(n: AppNode): { id: string; url: string; metricsUrl: string; pid: number; role: string } {
  return { id: n.id, url: n.url, metricsUrl: n.metricsUrl, pid: n.pid, role: n.role };
}

/**
 * Runs one stdin command against the stack (fault injection while `up` runs). "stop" is answered here and
 * acted on by the caller.
 */
export async function runCommand(stack: Stack, line: string): Promise<CommandAnswer> {
  const [cmd = "", ...args] = line.trim().split(/\s+/);
  try {
    switch (cmd) {
      case "add-nodes": {
        const n = Number(args[0] ?? "1");
        if (!Number.isInteger(n) || n < 1 || n > 32) throw new Error("usage: add-nodes N (1..32)");
        return { ok: true, cmd, nodes: (await stack.addNodes(n)).map(nodeView) };
      }
      case "kill-node": {
        const [id, signal = "SIGKILL"] = args;
        if (!id) throw new Error("usage: kill-node ID [SIGNAL]");
        if (!SIGNALS.has(signal)) throw new Error(`unsupported signal ${signal} (${[...SIGNALS].join(", ")})`);
        await stack.killNode(id, signal as NodeJS.Signals);
        return { ok: true, cmd, id, signal };
      }
      case "stop-node": {
        const [id] = args;
        if (!id) throw new Error("usage: stop-node ID");
        await stack.stopNode(id);
        return { ok: true, cmd, id };
      }
      case "status":
        return { ok: true, cmd, nodes: stack.nodes.map(nodeView), backends: await stack.haproxy.stats() };
      case "stop":
        return { ok: true, cmd };
      default:
        throw new Error(`unknown command "${cmd}" (add-nodes, kill-node, stop-node, status, stop)`);
    }
  } catch (err) {
    return { ok: false, cmd, error: (err as Error).message };
  }
}
