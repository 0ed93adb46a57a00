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
 * The first thing on the page: a red banner when the run cannot be taken at face value (failed audit, driver
 * behind schedule, app not benchmarked), a blue one for findings (load shed, thresholds broken), an amber one for
 * warnings, a green line when nothing makes the run untrustworthy or doubtful.
 */
export function bannerHtml(alerts: Alert[]): string {
  const fails = alerts.filter((a) => a.level === "fail");
  const warns = alerts.filter((a) => a.level === "warn");
  const findings = alerts.filter((a) => a.level === "finding");
  const parts: string[] = [];
  if (fails.length > 0) {
    parts.push(
      `<div class="banner banner-fail" role="alert" id="banner-fail"><strong>Do not trust this run as is: ` +
        `${fails.length} problem${fails.length === 1 ? "" : "s"}</strong>${list(fails)}</div>`,
    );
  }
  if (findings.length > 0) {
    parts.push(
      `<div class="banner banner-finding" id="banner-finding"><strong>${findings.length} finding${findings.length === 1 ? "" : "s"}` +
        `</strong> — what the apps did under this load (results, not harness failures)${list(findings)}</div>`,
    );
  }
  if (warns.length > 0) {
    parts.push(
      `<div class="banner banner-warn" id="banner-warn"><strong>${warns.length} warning${warns.length === 1 ? "" : "s"}` +
        `</strong> — read the affected numbers with care${list(warns, SHOWN_WARNINGS)}</div>`,
    );
  }
  if (fails.length === 0 && warns.length === 0) {
    parts.push(
      `<div class="banner banner-ok" id="banner-ok"><strong>Run looks trustworthy:</strong> every audit passed, ` +
        `the driver kept its schedule, no saturated process.</div>`,
    );
  }
  return `<section id="alerts" class="alerts">${parts.join("\n")}</section>`;
}
