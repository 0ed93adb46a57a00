import { formatRatio } from "../format.ts";
import { type VerdictRow, verdictRows } from "../verdict.ts";
import type { Pairing, ReportView } from "../view.ts";
import { esc, slug } from "./escape.ts";

function configLine(p: Pairing): string {
  const fmt = (s: Pairing["left"]) =>
    s.result
      ? Object.entries(s.result.appConfig)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ")
      : (s.missing ?? "");
  return (
    `<div class="config"><span class="side0">${esc(p.left.label)}</span> ${esc(fmt(p.left))}<br>` +
    `<span class="side1">${esc(p.right.label)}</span> ${esc(fmt(p.right))}</div>`
  );
}

function valueCell(row: VerdictRow, side: "left" | "right"): string {
  const c = row[side];
  const better = row.better === side;
  const bad =
    (row.metric.key === "audit" && c.value === 0) ||
    (row.metric.key === "keptSchedule" && c.value === 0) ||
    (row.metric.key === "thresholds" && c.value !== null && c.value < 1);
  const cls = ["num", better ? "better" : "", bad ? "bad" : ""].filter(Boolean).join(" ");
  return `<td class="${cls}" data-metric="${esc(row.metric.key)}" data-side="${side}">${esc(c.text)}${better ? ' <span class="mark" title="better">▲</span>' : ""}</td>`;
}

function hint(row: VerdictRow): string {
  if (row.metric.group === "trust") return "";
  return `<span class="dir" title="${row.metric.direction} is better">${row.metric.direction === "higher" ? "↑" : "↓"}</span>`;
}

const GROUPS: Record<string, string> = {
  throughput: "Throughput",
  latency: "Latency",
  errors: "Errors",
  cost: "Cost",
  trust: "Trust",
};

/** One verdict table: the two sides of a pairing, better value marked, right ÷ left ratio. */
export function verdictTableHtml(p: Pairing): string {
  const rows = verdictRows(p.left.result, p.right.result);
  const body: string[] = [];
  let group = "";
  for (const row of rows) {
    if (row.metric.group !== group) {
      group = row.metric.group;
      body.push(`<tr class="group"><th colspan="4">${esc(GROUPS[group] ?? group)}</th></tr>`);
    }
    const unit = row.metric.unit && row.metric.unit !== "%" ? ` <span class="unit">${esc(row.metric.unit)}</span>` : "";
    body.push(
      `<tr><th scope="row">${esc(row.metric.label)}${unit} ${hint(row)}</th>${valueCell(row, "left")}${valueCell(row, "right")}` +
        `<td class="num ratio">${row.metric.noRatio ? "" : esc(formatRatio(row.ratio))}</td></tr>`,
    );
  }
  const count = (b: VerdictRow["better"]) => rows.filter((r) => r.better === b).length;
  const glance =
    p.left.result && p.right.result
      ? `<span class="side0">${esc(p.left.label)}</span> better in ${count("left")}, ` +
        `<span class="side1">${esc(p.right.label)}</span> in ${count("right")}, ${count("tie")} tie${count("tie") === 1 ? "" : "s"}`
      : `<span class="bad">${esc(p.left.result ? p.right.missing : p.left.missing)}</span>`;
  return (
    `<div class="card verdict" id="verdict-${slug(p.id)}"><h3><a href="#scenario-${slug(p.id)}">${esc(p.title)}</a>` +
    `<span class="glance">${glance}</span></h3>` +
    `<table class="verdict-table" data-pairing="${esc(p.id)}"><thead><tr><th>metric</th>` +
    `<th class="num side0">${esc(p.left.label)}</th><th class="num side1">${esc(p.right.label)}</th>` +
    `<th class="num" title="right ÷ left">ratio</th></tr></thead><tbody>${body.join("")}</tbody></table>` +
    `${configLine(p)}</div>`
  );
}

/** The verdict section: every pairing's table, first on the page after the alerts. */
export function verdictSectionHtml(view: ReportView): string {
  const [l, r] = view.sideLabels;
  return (
    `<section id="verdict"><h2>Verdict</h2><p class="lead">${view.sideLegend ? `<b>${esc(view.sideLegend)}</b>. ` : ""}` +
    `Per ${view.mode === "single" ? "scenario" : "scenario and app"}, ` +
    `<span class="side0">${esc(l)}</span> against <span class="side1">${esc(r)}</span>. ▲ marks the better value ` +
    `(↑ higher / ↓ lower is better; differences within 5% are a tie). Ratio = ${esc(r)} ÷ ${esc(l)}.</p>` +
    `<div class="verdict-grid">${view.pairings.map(verdictTableHtml).join("\n")}</div></section>`
  );
}
