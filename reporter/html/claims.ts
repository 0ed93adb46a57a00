import type { ClaimResult } from "../claims.ts";
import { esc } from "./escape.ts";

const VERDICT_TEXT = {
  supported: "supported",
  contradicted: "contradicted",
  "not-measured": "not measured by this run",
};

function claimHtml(c: ClaimResult): string {
  return (
    `<article class="claim claim-${c.verdict}" data-claim="${esc(c.claim.id)}" data-verdict="${c.verdict}">` +
    `<header><span class="verdict-badge">${esc(VERDICT_TEXT[c.verdict])}</span><h3>${esc(c.claim.headline)}</h3></header>` +
    `<blockquote>“${esc(c.claim.quote)}”<cite>— ${esc(c.claim.source.author)}, <em>${esc(c.claim.source.title)}</em> ` +
    `(seed ${esc(c.claim.source.seed)})</cite></blockquote>` +
    `<div class="evidence"><strong>This run’s evidence</strong><ul>${c.evidence.map((e) => `<li>${esc(e)}</li>`).join("")}</ul></div>` +
    `<details class="rule"><summary>How the verdict is decided</summary><p>${esc(c.claim.rule)}</p></details>` +
    `</article>`
  );
}

/** The claims section: each seed claim, quoted with its source, this run's evidence and the computed verdict. */
export function claimsSectionHtml(claims: ClaimResult[]): string {
  const count = (v: ClaimResult["verdict"]) => claims.filter((c) => c.verdict === v).length;
  return (
    `<section id="claims"><h2>Claims from the seed articles</h2><p class="lead">Each verdict is computed from ` +
    `this run’s summary by a fixed rule (shown under each claim), never written by hand: ` +
    `<b>${count("supported")}</b> supported, <b>${count("contradicted")}</b> contradicted, ` +
    `<b>${count("not-measured")}</b> not measured.</p><div class="claims">${claims.map(claimHtml).join("\n")}</div></section>`
  );
}
