import type { AppRunSummary } from "../../harness/results/types.ts";
import type { Alert } from "../alerts.ts";
import { connectionText, driverOf } from "../driver-info.ts";
import { formatNumber, thresholdActual } from "../format.ts";
import type { ReportView, Side } from "../view.ts";
import { esc } from "./escape.ts";

function auditRow(scope: string, s: Side): string {
  const r = s.result;
  if (!r)
    return `<tr><th scope="row">${esc(scope)}</th><td colspan="10" class="muted">${esc(s.missing ?? "not run")}</td></tr>`;
  const a = r.audit;
  const verdict = a.valid === true ? "pass" : a.valid === false ? "FAIL" : "unknown";
  const n = (x: number, bad = false) => `<td class="num${bad && x > 0 ? " bad" : ""}">${formatNumber(x)}</td>`;
  const details = [...a.notes, ...a.examples.map((e) => `e.g. ${e}`)];
  return (
    `<tr class="${a.valid === true ? "" : "row-fail"}"><th scope="row">${esc(scope)}</th>` +
    `<td class="audit-${verdict.toLowerCase()}">${verdict}</td>${n(a.acknowledged)}${n(a.lost, true)}` +
    `${n(a.unexpected, true)}${n(a.recovered)}${n(a.indeterminate)}${n(a.doubleSold, true)}` +
    `<td class="num">${formatNumber(a.soldApi)} / ${formatNumber(a.soldDb)}</td>` +
    `<td class="notes">${details.length ? `<ul>${details.map((d) => `<li>${esc(d)}</li>`).join("")}</ul>` : ""}</td></tr>`
  );
}

/** Jepsen-style audit counts per scenario x app, and each run's thresholds. */
export function auditSectionHtml(view: ReportView): string {
  const rows = view.pairings.flatMap((p) => [
    auditRow(`${p.title} · ${p.left.label}`, p.left),
    auditRow(`${p.title} · ${p.right.label}`, p.right),
  ]);
  const thresholds = view.pairings.flatMap((p) =>
    [p.left, p.right].flatMap((s) =>
      (s.result?.thresholds ?? []).map(
        (t) =>
          `<tr class="${t.ok ? "" : "row-fail"}"><th scope="row">${esc(`${p.title} · ${s.label}`)}</th><td><code>${esc(t.expr)}</code></td>` +
          `<td class="num">${thresholdActual(t.expr, t.actual)}</td><td class="${t.ok ? "ok" : "bad"}">${t.ok ? "met" : "BROKEN"}</td></tr>`,
      ),
    ),
  );
  return (
    `<section id="audit"><h2>Audit</h2><p class="lead">After the load, writes were drained and the app cold-restarted ` +
    `from its database; every acknowledged confirmation was looked up. <b>Lost</b>: acknowledged, missing. ` +
    `<b>Unexpected</b>: present, never attempted. <b>Recovered</b>: outcome unknown to the client, present (fine). ` +
    `<b>Indeterminate</b>: outcome unknown, absent (fine). <b>Double-sold</b>: seats with two bookings.</p>` +
    `<table class="data"><thead><tr><th>scenario · side</th><th>audit</th><th class="num">acknowledged</th>` +
    `<th class="num">lost</th><th class="num">unexpected</th><th class="num">recovered</th><th class="num">indeterminate</th>` +
    `<th class="num">double-sold</th><th class="num">sold API / DB</th><th>notes and examples</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>` +
    (thresholds.length
      ? `<h3>Thresholds</h3><table class="data narrow"><thead><tr><th>scenario · side</th><th>threshold</th>` +
        `<th class="num">actual</th><th>result</th></tr></thead><tbody>${thresholds.join("")}</tbody></table>`
      : "") +
    `</section>`
  );
}

function cpuPerRequest(r: AppRunSummary): string {
  const us = driverOf(r).cpuUsPerRequest;
  return us === null ? "not recorded" : formatNumber(us);
}

/** Every warning and failure again, in full, with the driver's health per result. */
export function warningsSectionHtml(view: ReportView, alerts: Alert[]): string {
  const driver = view.pairings.flatMap((p) =>
    [p.left, p.right].flatMap((s) => {
      const r = s.result;
      if (!r) return [];
      const d = r.driverHealth;
      return [
        `<tr class="${d.keptSchedule ? "" : "row-fail"}"><th scope="row">${esc(`${p.title} · ${s.label}`)}</th>` +
          `<td>${esc(driverOf(r).name)}</td><td class="${d.keptSchedule ? "ok" : "bad"}">${d.keptSchedule ? "yes" : "NO"}</td>` +
          `<td class="num">${formatNumber(d.p99LagMs)}</td><td class="num">${formatNumber(d.maxLagMs)}</td>` +
          `<td class="num">${formatNumber(r.journeys.dropped)}</td><td class="num">${formatNumber(d.cpuS)}</td>` +
          `<td class="num">${cpuPerRequest(r)}</td><td>${esc(connectionText(driverOf(r)))}</td></tr>`,
      ];
    }),
  );
  return (
    `<section id="warnings"><h2>Warnings and driver health</h2>` +
    (alerts.length
      ? `<ul class="alert-list">${alerts.map((a) => `<li class="${a.level}"><b>${a.level === "fail" ? "FAIL" : a.level === "finding" ? "finding" : "warn"}</b> <span class="scope">${esc(a.scope)}:</span> ${esc(a.message)}</li>`).join("")}</ul>`
      : `<p>No warnings.</p>`) +
    `<table class="data narrow"><thead><tr><th>scenario · side</th><th>driver</th><th>kept schedule</th>` +
    `<th class="num">p99 lag (ms)</th><th class="num">max lag (ms)</th><th class="num">journeys dropped</th>` +
    `<th class="num">driver CPU (s)</th><th class="num">driver CPU per request (µs)</th><th>connections</th></tr></thead><tbody>${driver.join("")}</tbody></table></section>`
  );
}
