import type { ChartConfiguration, ChartDataset } from "chart.js";
import type { CapacityResult } from "../../harness/results/types.ts";
import type { Pairing } from "../view.ts";
import { SIDE_COLORS, SIDE_TINTS } from "./palette.ts";
import { type ChartSpec, compactTick, yScale } from "./timeline.ts";

type Point = { x: number; y: number };
type LineDataset = ChartDataset<"line", Point[]>;

/** The sides of a pairing that ran a capacity search, with their colour index. */
export function capacitySides(p: Pairing): Array<{ label: string; i: number; c: CapacityResult }> {
  return [p.left, p.right].flatMap((s, i) => (s.result?.capacity ? [{ label: s.label, i, c: s.result.capacity }] : []));
}

// Steps that held are drawn as dots, the step that broke the SLO as a cross: the knee is where dots end.
function stepLine(
  label: string,
  c: CapacityResult,
  y: (s: CapacityResult["steps"][number]) => number,
  color: string,
  extra: Partial<LineDataset> = {},
): LineDataset {
  return {
    label,
    data: c.steps.map((s) => ({ x: s.offeredJourneysPerS, y: y(s) })),
    borderColor: color,
    backgroundColor: color,
    borderWidth: 2,
    tension: 0,
    pointRadius: c.steps.map((s) => (s.held ? 3 : 7)),
    pointStyle: c.steps.map((s) => (s.held ? "circle" : "crossRot")),
    pointBorderWidth: c.steps.map((s) => (s.held ? 1 : 2.5)),
    ...extra,
  } as LineDataset;
}

function chart(datasets: LineDataset[], yTitle: string, allowLog: boolean): ChartConfiguration {
  const xs = datasets.flatMap((d) => d.data.map((p) => p.x));
  const ys = datasets.flatMap((d) => d.data.map((p) => p.y)).filter(Number.isFinite);
  return {
    type: "line",
    data: { datasets },
    options: {
      parsing: false,
      layout: { padding: { right: 8, top: 4 } },
      scales: {
        // Steps grow by a factor, so a log axis spaces them evenly.
        x: {
          type: "logarithmic",
          min: Math.min(...xs) / 1.1,
          max: Math.max(...xs) * 1.1,
          title: { display: true, text: "offered load (journeys/s, log scale)", font: { weight: "bold" } },
          // A tick at every step's rate: the axis reads as the staircase that was run.
          afterBuildTicks: (axis: { ticks: Array<{ value: number }> }) => {
            axis.ticks = [...new Set(xs)].sort((a, b) => a - b).map((value) => ({ value }));
          },
          ticks: { callback: (v: number | string) => compactTick(v), autoSkip: true },
          grid: { color: "#f3f4f6" },
        },
        y: yScale(yTitle, ys, allowLog),
      },
      plugins: {
        legend: { position: "top", align: "end", labels: { boxWidth: 18, boxHeight: 2, padding: 10 } },
        tooltip: { enabled: false },
      },
    },
  } as ChartConfiguration;
}

/**
 * The two charts that head the report, both apps overlaid: offered load against goodput (where served load stops
 * following offered load) and latency against offered load (the knee), with the SLO's latency bound drawn.
 */
export function capacityCharts(p: Pairing): ChartSpec[] {
  const sides = capacitySides(p);
  if (sides.length === 0 || sides.every((s) => s.c.steps.length === 0)) return [];
  const goodput = sides.flatMap(({ label, i, c }) => [
    stepLine(`${label} goodput`, c, (s) => s.goodputPerS, SIDE_COLORS[i] ?? "#000"),
    stepLine(`${label} all answers`, c, (s) => s.requestsPerS, SIDE_TINTS[i] ?? "#999", {
      borderDash: [6, 4],
      borderWidth: 1.5,
    }),
  ]);
  const latency = sides.flatMap(({ label, i, c }) => [
    stepLine(`${label} p99`, c, (s) => s.p99Ms, SIDE_COLORS[i] ?? "#000"),
    stepLine(`${label} p50`, c, (s) => s.p50Ms, SIDE_TINTS[i] ?? "#999", { borderDash: [6, 4], borderWidth: 1.5 }),
  ]);
  const bound = sides.find((s) => s.c.slo.p99Ms !== null)?.c.slo.p99Ms;
  if (bound) {
    const xs = sides.flatMap((s) => s.c.steps.map((st) => st.offeredJourneysPerS));
    latency.push({
      label: `SLO p99 ≤ ${bound} ms`,
      data: [
        { x: Math.min(...xs), y: bound },
        { x: Math.max(...xs), y: bound },
      ],
      borderColor: "#dc2626",
      backgroundColor: "#dc2626",
      borderWidth: 1.5,
      borderDash: [3, 3],
      pointRadius: 0,
    } as LineDataset);
  }
  return [
    {
      id: "capacity-goodput",
      title: "Offered load vs goodput (answers/s; × = the step that broke the SLO)",
      config: chart(goodput, "answers/s", false),
    },
    {
      id: "capacity-latency",
      title: "Latency vs offered load (ms; the knee)",
      config: chart(latency, "latency (ms)", true),
    },
  ];
}
