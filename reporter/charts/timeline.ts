import type { ChartConfiguration, ChartDataset } from "chart.js";
import type { TimeSeries } from "../../harness/results/types.ts";
import type { Pairing, Side } from "../view.ts";
import { faultMarkers, uniqueFaults } from "./fault-markers.ts";
import { APP_SHADES, INFRA_COLORS, SIDE_COLORS, SIDE_TINTS } from "./palette.ts";

/** y null = no sample that second: drawn as a gap, never as an invented zero. */
type Point = { x: number; y: number | null };
type LineDataset = ChartDataset<"line", Point[]>;

/** A chart of the per-scenario section: the id is stable (tests and anchors use it), the title is for humans. */
export interface ChartSpec {
  id: string;
  title: string;
  config: ChartConfiguration;
}

export function points(ts: TimeSeries, ys: Array<number | null> | undefined): Point[] {
  if (!ys) return [];
  const out: Point[] = [];
  ts.t.forEach((x, i) => {
    const y = ys[i];
    out.push({ x, y: typeof y === "number" && Number.isFinite(y) ? y : null });
  });
  return out;
}

/** The sampled values of a series (gaps left out). */
export function values(data: Point[]): number[] {
  return data.flatMap((p) => (p.y === null ? [] : [p.y]));
}

export function compactTick(v: number | string): string {
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return `${+n.toFixed(abs < 1 && abs > 0 ? 2 : 1)}`;
}

/** Log scale (where allowed) when the values span more than this factor. */
const LOG_SPAN = 30;

/** A y axis: linear from zero, or logarithmic when the values span more than LOG_SPAN (and are all positive). */
export function yScale(title: string, values: number[], allowLog = true): Record<string, unknown> {
  const positive = values.filter((v) => v > 0);
  const log =
    allowLog &&
    positive.length > 0 &&
    positive.length === values.length &&
    Math.max(...positive) / Math.min(...positive) > LOG_SPAN;
  return {
    type: log ? "logarithmic" : "linear",
    beginAtZero: !log,
    title: { display: true, text: log ? `${title} — log scale` : title, font: { weight: "bold" } },
    ticks: { callback: (v: number | string) => compactTick(v), maxTicksLimit: 8 },
    grid: { color: "#e5e7eb" },
  };
}

function line(label: string, data: Point[], color: string, opts: Partial<LineDataset> = {}): LineDataset {
  return {
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 2,
    pointRadius: 0,
    tension: 0,
    ...opts,
  };
}

/** Time chart with the fault timeline; x is seconds since the start of the measured window. */
export function timeChart(
  datasets: LineDataset[],
  yTitle: string,
  faults: Pairing,
  extraScales: Record<string, unknown> = {},
  allowLog = false,
): ChartConfiguration {
  const ys = datasets.filter((d) => !d.yAxisID || d.yAxisID === "y").flatMap((d) => values(d.data));
  return {
    type: "line",
    data: { datasets },
    options: {
      parsing: false,
      normalized: true,
      layout: { padding: { right: 8, top: 4 } },
      scales: {
        x: {
          type: "linear",
          title: { display: true, text: "time since window start (s)", font: { weight: "bold" } },
          grid: { color: "#f3f4f6" },
          ticks: { maxTicksLimit: 12 },
        },
        y: yScale(yTitle, ys, allowLog),
        ...extraScales,
      },
      plugins: {
        legend: { position: "top", align: "end", labels: { boxWidth: 18, boxHeight: 2, padding: 10 } },
        faultMarkers: {
          faults: uniqueFaults([faults.left.series?.faults ?? [], faults.right.series?.faults ?? []]),
        },
      },
    },
    plugins: [faultMarkers],
  } as ChartConfiguration;
}

const sides = (p: Pairing): Array<[Side, number]> =>
  (
    [
      [p.left, 0],
      [p.right, 1],
    ] as Array<[Side, number]>
  ).filter(([s]) => s.series !== null);

/** One metric per side, same axis: the shape of most load charts. */
function perSide(p: Pairing, pick: (ts: TimeSeries) => number[] | undefined, yTitle: string): ChartConfiguration {
  return timeChart(
    sides(p).map(([s, i]) =>
      line(s.label, points(s.series as TimeSeries, pick(s.series as TimeSeries)), SIDE_COLORS[i] ?? "#000"),
    ),
    yTitle,
    p,
  );
}

function latency(p: Pairing): ChartConfiguration {
  const ds = sides(p).flatMap(([s, i]) => [
    line(`${s.label} p99`, points(s.series as TimeSeries, s.series?.latencyP99), SIDE_COLORS[i] ?? "#000"),
    line(`${s.label} p50`, points(s.series as TimeSeries, s.series?.latencyP50), SIDE_TINTS[i] ?? "#999", {
      borderDash: [6, 4],
    }),
  ]);
  // Latency alone may go logarithmic: a fault's spike would otherwise flatten the steady state into the axis.
  return timeChart(ds, "latency (ms)", p, {}, true);
}

function throughput(p: Pairing): ChartConfiguration {
  const ds = sides(p).flatMap(([s, i]) => [
    line(`${s.label} requests`, points(s.series as TimeSeries, s.series?.requestsPerS), SIDE_COLORS[i] ?? "#000"),
    line(`${s.label} errors`, points(s.series as TimeSeries, s.series?.errorsPerS), APP_SHADES[i]?.[0] ?? "#999", {
      borderDash: [2, 3],
      borderWidth: 1.5,
      yAxisID: "y1",
    }),
  ]);
  const errMax = Math.max(0, ...ds.filter((d) => d.yAxisID === "y1").flatMap((d) => values(d.data)));
  return timeChart(ds, "throughput (req/s)", p, {
    y1: {
      type: "linear",
      position: "right",
      beginAtZero: true,
      suggestedMax: Math.max(5, errMax * 1.25),
      title: { display: true, text: "errors (req/s, dotted)", font: { weight: "bold" } },
      ticks: { callback: (v: number | string) => compactTick(v), maxTicksLimit: 6 },
      grid: { drawOnChartArea: false },
    },
  });
}

function processColor(proc: string, sideIndex: number, appIndex: number): string {
  const role = proc.replace(/-\d+$/, "");
  const infra = INFRA_COLORS[role];
  if (infra) return infra;
  const shades = APP_SHADES[sideIndex] ?? APP_SHADES[0];
  return shades[appIndex % shades.length] ?? "#000";
}

function cpu(p: Pairing, s: Side, i: number): ChartConfiguration {
  const ts = s.series as TimeSeries;
  let appIndex = 0;
  const ds = Object.entries(ts.cpuPercent).map(([proc, values]) => {
    const isInfra = INFRA_COLORS[proc.replace(/-\d+$/, "")] !== undefined;
    const color = processColor(proc, i, isInfra ? 0 : appIndex++);
    return line(proc, points(ts, values), color, isInfra ? { borderDash: [5, 3], borderWidth: 1.5 } : {});
  });
  return timeChart(ds, "CPU (% of one core)", { ...p, left: s, right: { ...s, series: null } });
}

/** Every time chart of one pairing, in reading order: what the user saw, then what it cost. */
export function timelineCharts(p: Pairing): ChartSpec[] {
  if (sides(p).length === 0) return [];
  const specs: ChartSpec[] = [
    { id: "latency", title: "Latency p50 / p99 (ms)", config: latency(p) },
    { id: "throughput", title: "Throughput and errors (req/s)", config: throughput(p) },
    {
      id: "bookings",
      title: "Confirmed bookings (bookings/s)",
      config: perSide(p, (t) => t.bookingsPerS, "bookings/s"),
    },
    {
      id: "pg-statements",
      title: "PostgreSQL statements/s",
      config: perSide(p, (t) => t.pgStatementsPerS, "statements/s"),
    },
    { id: "pg-commits", title: "PostgreSQL commits/s", config: perSide(p, (t) => t.pgCommitsPerS, "commits/s") },
    {
      id: "pg-rows",
      title: "PostgreSQL rows written/s",
      config: perSide(p, (t) => t.pgRowsWrittenPerS, "rows written/s"),
    },
    { id: "redis", title: "Redis commands/s", config: perSide(p, (t) => t.redisCommandsPerS, "commands/s") },
  ];
  for (const [s, i] of sides(p)) {
    specs.push({
      id: `cpu-${i === 0 ? "left" : "right"}`,
      title: `CPU per process — ${s.label} (%)`,
      config: cpu(p, s, i),
    });
  }
  return specs;
}
