import type { CapacityResult } from "../../harness/results/types.ts";
import { capacitySides, type RenderedChart, renderCapacityCharts } from "../charts/index.ts";
import { formatNumber, formatPercent } from "../format.ts";
import type { Pairing, ReportView } from "../view.ts";
import { esc } from "./escape.ts";

const ENDED: Record<CapacityResult["endedBy"], string> = {
  slo: "the next step broke the SLO",
  driver: "the driver fell behind on the next step: the capacity is a lower bound set by the load generator",
  "top-step": "every step held: the app can take at least this much",
};

function capacityCell(c: CapacityResult): string {
  if (c.steps.length > 0 && !c.steps.some((s) => s.held))
    return `below ${formatNumber(c.steps[0]?.offeredJourneysPerS)}`;
  return formatNumber(c.journeysPerS);
}

function summaryTable(p: Pairing): string {
  const rows = capacitySides(p).map(({ label, i, c }) => {
    const broke = c.steps.find((s) => !s.held);
    return (
      `<tr><th scope="row" class="side${i}">${esc(label)}</th>` +
      `<td class="num" data-capacity="journeys">${esc(capacityCell(c))}</td>` +
      `<td class="num" data-capacity="bookings">${esc(formatNumber(c.bookingsPerS))}</td>` +
      `<td>${esc(ENDED[c.endedBy])}${broke ? `: ${esc(formatNumber(broke.offeredJourneysPerS))} journeys/s, ${esc(broke.broken.join("; "))}` : ""}</td>` +
      `<td class="num">${esc(broke ? formatPercent(broke.shedRate) : "—")}</td>` +
      `<td class="num">${esc(broke ? formatNumber(broke.goodputPerS) : "—")}</td></tr>`
    );
  });
  return (
    `<table class="verdict-table capacity-table"><thead><tr><th>app</th><th class="num">capacity (journeys/s)</th>` +
    `<th class="num">bookings/s there</th><th>search ended because</th><th class="num">shed at the break</th>` +
    `<th class="num">goodput at the break (answers/s)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`
  );
}

function stepsTable(label: string, c: CapacityResult): string {
  const rows = c.steps.map(
    (s) =>
      `<tr class="${s.held ? "" : "bad"}"><td class="num">${esc(formatNumber(s.offeredJourneysPerS))}</td>` +
      `<td class="num">${esc(formatNumber(s.goodputPerS))}</td><td class="num">${esc(formatNumber(s.bookingsPerS))}</td>` +
      `<td class="num">${esc(formatNumber(s.p50Ms))}</td><td class="num">${esc(formatNumber(s.p99Ms))}</td>` +
      `<td class="num">${esc(formatPercent(s.errorRate))}</td><td class="num">${esc(formatPercent(s.shedRate))}</td>` +
      `<td>${s.held ? "held" : esc(s.broken.join("; "))}</td></tr>`,
  );
  return (
    `<details><summary>${esc(label)}: every step (${c.steps.length})</summary><table class="verdict-table"><thead><tr>` +
    `<th class="num">offered journeys/s</th><th class="num">goodput answers/s</th><th class="num">bookings/s</th>` +
    `<th class="num">p50 ms</th><th class="num">p99 ms</th><th class="num">errors + shed</th><th class="num">shed</th>` +
    `<th>verdict</th></tr></thead><tbody>${rows.join("")}</tbody></table></details>`
  );
}

function figures(charts: RenderedChart[], p: Pairing): string {
  return charts
    .map(
      (c) =>
        `<figure class="chart" data-chart="${esc(c.id)}"><figcaption>${esc(c.title)}</figcaption>` +
        `<img src="${c.dataUrl}" width="${c.width}" height="${c.height}" alt="${esc(c.title)} — ${esc(p.title)}"></figure>`,
    )
    .join("\n");
}

/**
 * The report's head: each app's capacity at the SLO (the last step of the breakpoint search that held), the two
 * charts with both apps overlaid, and every step. Empty when the run has no capacity search.
 */
export function capacitySectionHtml(view: ReportView): string {
  const pairings = view.pairings.filter((p) => capacitySides(p).length > 0);
  if (pairings.length === 0) return "";
  const slo = capacitySides(pairings[0] as Pairing)[0]?.c.slo.thresholds.join(", ") ?? "";
  const parts = pairings.map(
    (p) =>
      `<div class="card" data-pairing="${esc(p.id)}">${view.mode === "compare" ? `<h3>${esc(p.title)}</h3>` : ""}` +
      `${summaryTable(p)}<div class="chart-grid">${figures(renderCapacityCharts(p), p)}</div>` +
      `${capacitySides(p)
        .map((s) => stepsTable(s.label, s.c))
        .join("")}</div>`,
  );
  return (
    `<section id="capacity"><h2>Capacity at the SLO</h2><p class="lead">A breakpoint search: the arrival rate rises ` +
    `+25% a step until a step breaks the SLO (${esc(slo)}; shed 503s count as errors). An app's capacity is the ` +
    `offered load of the last step that held, with the bookings/s it confirmed there. Past the knee goodput stops ` +
    `following the offered load and latency climbs; an app with admission control sheds the excess (503) instead ` +
    `of queueing it.</p>${parts.join("\n")}</section>`
  );
}
