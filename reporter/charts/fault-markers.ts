import type { ChartType, Plugin } from "chart.js";
import type { FaultRecord } from "../../harness/results/types.ts";
import { FAULT_COLORS } from "./palette.ts";

/** Options of the fault-markers plugin, set per chart under `options.plugins.faultMarkers`. */
export interface FaultMarkerOptions {
  faults: FaultRecord[];
}

declare module "chart.js" {
  interface PluginOptionsByType<TType extends ChartType> {
    faultMarkers?: FaultMarkerOptions;
  }
}

/**
 * A fault's window when it has one: a pause lasts "for N s", a join takes until the new nodes are "ready after
 * N s" (the harness writes both into `detail`, the record has no duration field).
 */
export function faultWindowS(f: FaultRecord): number | null {
  const pattern =
    f.action === "pause-node"
      ? /for (\d+(?:\.\d+)?) ?s\b/
      : f.action === "add-nodes"
        ? /ready after (\d+(?:\.\d+)?) ?s\b/
        : null;
  const m = pattern?.exec(f.detail);
  return m ? Number(m[1]) : null;
}

/** Drawn as part of the pause window instead of a line of its own. */
const UNDRAWN = new Set(["resume-node"]);

/** The same fault recorded by both sides of a comparison is drawn once. */
export function uniqueFaults(lists: FaultRecord[][]): FaultRecord[] {
  const seen = new Map<string, FaultRecord>();
  for (const f of lists.flat()) {
    const key = `${f.action}@${Math.round(f.atS)}`;
    if (!seen.has(key)) seen.set(key, f);
  }
  return [...seen.values()].sort((a, b) => a.atS - b.atS);
}

const label = (f: FaultRecord) => f.action.replace("-", " ");

/**
 * Draws the fault timeline on a time chart, as Jepsen's plots do: a shaded band for faults with a duration
 * (a paused node), and a dashed vertical line with a label for instant ones (node killed, nodes added).
 */
export const faultMarkers: Plugin = {
  id: "faultMarkers",
  beforeDatasetsDraw(chart, _args, opts: FaultMarkerOptions) {
    const x = chart.scales.x;
    if (!x || !opts?.faults) return;
    const { ctx, chartArea } = chart;
    for (const f of opts.faults) {
      const w = faultWindowS(f);
      if (w === null) continue;
      const x0 = Math.max(chartArea.left, x.getPixelForValue(f.atS));
      const x1 = Math.min(chartArea.right, x.getPixelForValue(f.atS + w));
      ctx.save();
      ctx.fillStyle = `${FAULT_COLORS[f.action] ?? "#6b7280"}26`;
      ctx.fillRect(x0, chartArea.top, x1 - x0, chartArea.bottom - chartArea.top);
      ctx.restore();
    }
  },
  afterDatasetsDraw(chart, _args, opts: FaultMarkerOptions) {
    const x = chart.scales.x;
    if (!x || !opts?.faults) return;
    const { ctx, chartArea } = chart;
    for (const f of opts.faults) {
      if (UNDRAWN.has(f.action)) continue;
      const px = x.getPixelForValue(f.atS);
      if (px < chartArea.left || px > chartArea.right) continue;
      const color = FAULT_COLORS[f.action] ?? "#6b7280";
      ctx.save();
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = "bold 11px DejaVu Sans, sans-serif";
      const text = label(f);
      const tw = ctx.measureText(text).width;
      // Label inside the plot, on the side with room.
      const lx = px + 4 + tw > chartArea.right ? px - 4 - tw : px + 4;
      ctx.fillStyle = "rgba(255,255,255,0.85)";
      ctx.fillRect(lx - 2, chartArea.top + 2, tw + 4, 15);
      ctx.fillStyle = color;
      ctx.textBaseline = "top";
      ctx.fillText(text, lx, chartArea.top + 4);
      ctx.restore();
    }
  },
};
