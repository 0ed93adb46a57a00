import type { RenderedChart } from "../charts/index.ts";
import type { Pairing } from "../view.ts";
import { esc, slug } from "./escape.ts";

/** The charts of one pairing in a two-column grid; a pairing without time series says so instead of drawing blanks. */
export function scenarioChartsHtml(p: Pairing, charts: RenderedChart[]): string {
  const faults = [...(p.left.series?.faults ?? []), ...(p.right.series?.faults ?? [])];
  const faultLine =
    faults.length === 0
      ? "No faults injected."
      : `Faults (drawn on every time chart): ${[...new Set(faults.map((f) => `${f.action} at ${f.atS} s (${f.detail})`))].join("; ")}.`;
  const figures = charts
    .map(
      (c) =>
        `<figure class="chart" data-chart="${esc(c.id)}"><figcaption>${esc(c.title)}</figcaption>` +
        `<img src="${c.dataUrl}" width="${c.width}" height="${c.height}" alt="${esc(c.title)} — ${esc(p.title)}"></figure>`,
    )
    .join("\n");
  return (
    `<section class="scenario" id="scenario-${slug(p.id)}"><h2>${esc(p.title)} <span class="sub">over time</span></h2>` +
    `<p class="lead">${esc(faultLine)}</p>` +
    (charts.length > 0
      ? `<div class="chart-grid">${figures}</div>`
      : `<p class="empty">No time series recorded for this ${p.left.result || p.right.result ? "pairing" : "scenario"}.</p>`) +
    `</section>`
  );
}
