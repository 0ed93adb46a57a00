import type { Fault } from "../../scenarios/types.ts";
import type { FaultRecord } from "../results/types.ts";
import type { Stack } from "../stack/index.ts";

/**
 * Runs a scenario's fault timeline against a stack: SIGKILL a node, add nodes (HAProxy backends follow), pause a
 * node with SIGSTOP/SIGCONT. Times are seconds from the start of the measured window; every injected fault is
 * recorded in the same history as the load (Jepsen's nemesis does the same).
 */
export interface FaultTimeline {
  /** Faults done so far, with what actually happened. */
  readonly records: FaultRecord[];
  /** Cancels pending faults and waits for the running ones (a paused node is resumed). */
  stop(): Promise<void>;
}

export function startFaults(
  stack: Stack,
  faults: Fault[],
  windowStartMs: number,
  log: (m: string) => void,
): FaultTimeline {
  const records: FaultRecord[] = [];
  const timers: NodeJS.Timeout[] = [];
  const running: Promise<void>[] = [];
  const paused = new Set<string>();
  const at = () => (Date.now() - windowStartMs) / 1000;
  // Faults address balanced nodes by index at the time they fire (workers are not HAProxy backends).
  const balanced = () => stack.nodes.filter((n) => n.role !== "worker" && n.running());

  const perform = async (f: Fault): Promise<void> => {
    const t = at();
    try {
      if (f.action === "kill-node") {
        const node = balanced()[f.node];
        if (!node) throw new Error(`no node #${f.node} (${balanced().length} running)`);
        await stack.killNode(node.id, "SIGKILL");
        records.push({ atS: t, action: "kill-node", detail: `SIGKILL ${node.id} (pid ${node.pid})` });
      } else if (f.action === "add-nodes") {
        const added = await stack.addNodes(f.count);
        records.push({
          atS: t,
          action: "add-nodes",
          detail: `started ${added.map((n) => n.id).join(", ")}; ready after ${(at() - t).toFixed(1)} s`,
        });
      } else {
        const node = balanced()[f.node];
        if (!node) throw new Error(`no node #${f.node} (${balanced().length} running)`);
        await stack.killNode(node.id, "SIGSTOP");
        paused.add(node.id);
        records.push({ atS: t, action: "pause-node", detail: `SIGSTOP ${node.id} for ${f.forS} s` });
        await new Promise((r) => setTimeout(r, f.forS * 1000));
        if (paused.delete(node.id)) {
          await stack.killNode(node.id, "SIGCONT");
          records.push({ atS: at(), action: "resume-node", detail: `SIGCONT ${node.id}` });
        }
      }
      log(`fault at ${t.toFixed(1)} s: ${records[records.length - 1]?.detail}`);
    } catch (err) {
      const detail = `${f.action} failed: ${err instanceof Error ? err.message : String(err)}`;
      records.push({ atS: t, action: `${f.action}-failed`, detail });
      log(detail);
    }
  };

  for (const f of faults) {
    const delay = Math.max(0, windowStartMs + f.atS * 1000 - Date.now());
    timers.push(setTimeout(() => running.push(perform(f)), delay));
  }
  return {
    records,
    async stop() {
      for (const t of timers) clearTimeout(t);
      for (const id of paused) await stack.killNode(id, "SIGCONT").catch(() => undefined);
      paused.clear();
      await Promise.allSettled(running);
    },
  };
}
