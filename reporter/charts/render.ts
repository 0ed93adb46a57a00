import { createCanvas } from "@napi-rs/canvas";
import { Chart, type ChartConfiguration, type Plugin, registerables } from "chart.js";
import { FONT_FAMILY } from "./palette.ts";

Chart.register(...registerables);
Chart.defaults.font.family = FONT_FAMILY;
Chart.defaults.font.size = 12;
Chart.defaults.color = "#374151";

/** Canvas pixels per CSS pixel: 2 keeps the PNGs sharp on high-density screens and in print. */
export const PIXEL_RATIO = 2;

/** PNG charts have no page behind them: paint white first, or the background is transparent (black in some viewers). */
const whiteBackground: Plugin = {
  id: "whiteBackground",
  beforeDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/**
 * Renders a chart.js configuration to PNG on the server (@napi-rs/canvas, no native build). Responsiveness and
 * animation are forced off: there is no DOM to size against and only the final frame is wanted.
 */
export function renderChartPng(config: ChartConfiguration, width: number, height: number): Buffer {
  const canvas = createCanvas(width, height);
  const chart = new Chart(
    canvas as unknown as ConstructorParameters<typeof Chart>[0],
    {
      ...config,
      options: { ...config.options, responsive: false, animation: false, devicePixelRatio: PIXEL_RATIO },
      plugins: [whiteBackground, ...(config.plugins ?? [])],
    } as ChartConfiguration,
  );
  try {
    return canvas.toBuffer("image/png");
  } finally {
    chart.destroy();
  }
}

/** A PNG as a data URL for the self-contained HTML. */
export function pngDataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString("base64")}`;
}
