import type { ChartConfiguration } from "chart.js";
import type { Pairing } from "../view.ts";
import { SIDE_COLORS } from "./palette.ts";
import type { ChartSpec } from "./timeline.ts";
import { yScale } from "./timeline.ts";

/** Where the x axis ends: 1/(1-p) of 99.9999%. The 100% point (max) has no finite position and is dropped. */
const X_MAX = 1e6;

/**
 * Maps a spectrum to HdrHistogram's plot coordinates: x = 1/(1-p), so 90% sits at 10, 99% at 100, 99.9% at
 * 1,000. Percentiles may come as 0..100 (HdrHistogram's text output) or 0..1; a list whose largest is above 1 is
 * read as 0..100.
 */
export function spectrumPoints(spectrum: Array<[number, number]>): Array<{ x: number; y: number }> {
  const scale = spectrum.some(([p]) => p > 1) ? 100 : 1;
  return spectrum
    .map(([p, ms]) => ({ q: p / scale, ms }))
    .filter(({ q, ms }) => q >= 0 && q < 1 && Number.isFinite(ms))
    .map(({ q, ms }) => ({ x: Math.min(X_MAX, 1 / (1 - q)), y: ms }));
}

/** "1/(1-p)" tick value to its percentile label: 1 → 0%, 10 → 90%, 1000 → 99.9%. */
export function percentileLabel(x: number): string {
  const pct = (1 - 1 / x) * 100;
  if (pct <= 0) return "0%";
  const digits = Math.max(0, Math.round(Math.log10(x)) - 2);
  return `${pct.toFixed(digits)}%`;
}

/** The latency distribution of both sides (percentile spectrum, log-scaled percentile axis). */
export function spectrumChart(p: Pairing): ChartSpec | null {
  const sides = [p.left, p.right]
    .map((s, i) => ({ s, i, data: s.result ? spectrumPoints(s.result.spectrum) : [] }))
    .filter((x) => x.data.length > 0);
  if (sides.length === 0) return null;
  const maxX = Math.max(...sides.flatMap((x) => x.data.map((d) => d.x)));
  const decades = Math.max(1, Math.ceil(Math.log10(maxX)));
  const config: ChartConfiguration = {
    type: "line",
    data: {
      datasets: sides.map(({ s, i, data }) => ({
        label: s.label,
        data,
        borderColor: SIDE_COLORS[i],
        backgroundColor: SIDE_COLORS[i],
        borderWidth: 2,
        pointRadius: 2,
        tension: 0,
      })),
    },
    options: {
      parsing: false,
      scales: {
        x: {
          type: "logarithmic",
          min: 1,
          max: 10 ** decades,
          title: { display: true, text: "percentile (log scale of 1/(1-p))", font: { weight: "bold" } },
          afterBuildTicks: (axis) => {
            axis.ticks = Array.from({ length: decades + 1 }, (_, k) => ({ value: 10 ** k }));
          },
          ticks: { callback: (v: number | string) => percentileLabel(Number(v)) },
          grid: { color: "#e5e7eb" },
        },
        // Linear, as HdrHistogram plots it: the tail's height is the point, and p0 (the minimum) may be ~0 ms.
        y: yScale(
          "latency (ms)",
          sides.flatMap((x) => x.data.map((d) => d.y)),
          false,
        ),
      },
      plugins: {
        legend: { position: "top", align: "end", labels: { boxWidth: 18, boxHeight: 2, padding: 10 } },
        tooltip: { enabled: false },
      },
    },
  } as ChartConfiguration;
  return { id: "spectrum", title: "Latency distribution (percentile spectrum, ms)", config };
}
