import { formatNumber } from "../format.ts";
import { roundTripCaveat, roundTripRows } from "../round-trips.ts";
import type { ReportView } from "../view.ts";
import { esc } from "./escape.ts";

const ms = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(2));

/** Per scenario: each app's round trips per endpoint, measured p50/p99 and the projection at `rttMs`, marked a model. */
export function roundTripsSectionHtml(view: ReportView, rttMs: number): string {
  const tables = view.pairings.flatMap((p) => {
    const rows = [p.left, p.right].flatMap((s) =>
      roundTripRows(s.result, rttMs).map(
        (r) =>
          `<tr><th scope="row">${esc(s.label)}</th><td>${esc(r.endpoint)}</td>` +
          [r.rt.lb, r.rt.forward, r.rt.redis, r.rt.postgres, r.rt.total]
            .map((n) => `<td class="num">${formatNumber(n)}</td>`)
            .join("") +
          `<td class="num">${ms(r.measured?.p50)}</td><td class="num">${ms(r.measured?.p99)}</td>` +
          `<td class="num model">${ms(r.projected?.p50)}</td><td class="num model">${ms(r.projected?.p99)}</td></tr>`,
      ),
    );
    if (rows.length === 0) return [];
    return [
      `<h3>${esc(p.title)}</h3><table class="data round-trips"><thead><tr><th>app</th><th>endpoint</th>` +
        `<th>LB</th><th>forward</th><th>Redis</th><th>PostgreSQL</th><th>total</th>` +
        `<th>measured p50 (ms)</th><th>measured p99 (ms)</th>` +
        `<th class="model">model p50 at ${esc(rttMs)} ms RTT</th><th class="model">model p99 at ${esc(rttMs)} ms RTT</th>` +
        `</tr></thead><tbody>${rows.join("")}</tbody></table>`,
    ];
  });
  const body =
    tables.length > 0
      ? tables.join("")
      : `<p class="muted">No round-trip counts in this run (written before summary.json carried them).</p>`;
  return (
    `<section id="round-trips"><h2>Network round trips (model)</h2>` +
    `<div class="banner banner-warn" role="note"><strong>Model.</strong> ${esc(roundTripCaveat(rttMs))}</div>` +
    `${body}</section>`
  );
}
