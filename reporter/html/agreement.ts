import { AGREEMENT_EXPLAINED } from "../agreement.ts";
import { agreementTables } from "../agreement-table.ts";
import type { ReportView } from "../view.ts";
import { esc } from "./escape.ts";

/** The driver-agreement section (k6 beside the embedded driver), or "" when the run did not use `--driver both`. */
export function agreementSectionHtml(view: ReportView): string {
  const tables = agreementTables(view);
  if (tables.length === 0) return "";
  const body = tables.map((t) => {
    const head = `<tr>${t.head.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr>`;
    const rows = t.rows
      .map(
        ([label, ...cells]) =>
          `<tr><th scope="row">${esc(label)}</th>${cells.map((c) => `<td class="num">${esc(c)}</td>`).join("")}</tr>`,
      )
      .join("");
    const notes = [...t.notes.map((n) => esc(n)), ...t.links.map(([l, p]) => `<a href="${esc(p)}">${esc(l)}</a>`)];
    return (
      `<h3>${esc(t.title)}</h3><table class="verdict"><thead>${head}</thead><tbody>${rows}</tbody></table>` +
      (notes.length ? `<ul>${notes.map((n) => `<li>${n}</li>`).join("")}</ul>` : "")
    );
  });
  return `<section id="drivers"><h2>Driver agreement</h2><p class="lead">${esc(AGREEMENT_EXPLAINED)}</p>${body.join("")}</section>`;
}
