import type { Pairing } from "../view.ts";
import { capacityCharts } from "./capacity.ts";
import { pngDataUrl, renderChartPng } from "./render.ts";
import { spectrumChart } from "./spectrum.ts";
import { timelineCharts } from "./timeline.ts";

export { capacitySides } from "./capacity.ts";
export { SIDE_COLORS } from "./palette.ts";
export { renderChartPng } from "./render.ts";

/** A rendered chart, ready for an <img>. */
export interface RenderedChart {
  id: string;
  title: string;
  dataUrl: string;
  width: number;
  height: number;
}

/** CSS size of every chart; the PNG has PIXEL_RATIO times the pixels. */
export const CHART_WIDTH = 620;
export const CHART_HEIGHT = 280;

/** Renders all charts of a pairing (time charts, then the latency distribution) as PNG data URLs. */
export function renderPairingCharts(p: Pairing): RenderedChart[] {
  const specs = [...timelineCharts(p)];
  const spectrum = spectrumChart(p);
  if (spectrum) specs.splice(1, 0, spectrum);
  return render(specs);
}

/** The capacity search's two charts (offered load vs goodput, latency vs offered load); none without a search. */
export function renderCapacityCharts(p: Pairing): RenderedChart[] {
  return render(capacityCharts(p));
}

function render(specs: ReturnType<typeof timelineCharts>): RenderedChart[] {
  return specs.map((s) => ({
    id: s.id,
    title: s.title,
    dataUrl: pngDataUrl(renderChartPng(s.config, CHART_WIDTH, CHART_HEIGHT)),
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  }));
}
