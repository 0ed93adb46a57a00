import type { Alert } from "../alerts.ts";
import { esc } from "./escape.ts";

/** Warnings shown before the rest fold away: the banner must not push the verdict table off the first screen. */
const SHOWN_WARNINGS = 4;

function items(alerts: Alert[]): string {
  return alerts.map((a) => `<li><span class="scope">${esc(a.scope)}:</span> ${esc(a.message)}</li>`).join("");
}

function list(alerts: Alert[], fold = Number.POSITIVE_INFINITY): string {
  if (alerts.length <= fold) return `<ul>${items(alerts)}</ul>`;
  return (
    `<ul>${items(alerts.slice(0, fold))}</ul><details><summary>${alerts.length - fold} more</summary>` +
    `<ul>${items(alerts.slice(fold))}</ul></details>`
  );
}

/**
 * The first thing on the page: a red banner when the run cannot be taken at face value (failed audit, broken
 * threshold, driver behind schedule, app not benchmarked), an amber one for warnings, a green line otherwise.
 */
export function bannerHtml(alerts: Alert[]): string {
  const fails = alerts.filter((a) => a.level === "fail");
  const warns = alerts.filter((a) => a.level === "warn");
  const parts: string[] = [];
  if (fails.length > 0) {
    parts.push(
      `<div class="banner banner-fail" role="alert" id="banner-fail"><strong>Do not trust this run as is: ` +
        `${fails.length} problem${fails.length === 1 ? "" : "s"}</strong>${list(fails)}</div>`,
    );
  }
  if (warns.length > 0) {
    parts.push(
      `<div class="banner banner-warn" id="banner-warn"><strong>${warns.length} warning${warns.length === 1 ? "" : "s"}` +
        `</strong> — read the affected numbers with care${list(warns, SHOWN_WARNINGS)}</div>`,
    );
  }
  if (parts.length === 0) {
    parts.push(
      `<div class="banner banner-ok" id="banner-ok"><strong>Run looks trustworthy:</strong> every audit passed, ` +
        `thresholds met, the driver kept its schedule, no saturated process.</div>`,
    );
  }
  return `<section id="alerts" class="alerts">${parts.join("\n")}</section>`;
}
