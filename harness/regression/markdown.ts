import type { Comparison, RowVerdict } from "./compare.ts";

const MARK: Record<RowVerdict, string> = {
  ok: "ok",
  improved: "improved",
  regressed: "**REGRESSED**",
  failed: "**FAILED**",
  new: "new",
  missing: "missing",
  inconclusive: "inconclusive",
  accepted: "accepted",
};

const num = (x: number | null) => (x === null ? "—" : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
const pct = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`);

/** The comparison as a Markdown table: what moved, and why it is or is not significant. */
export function comparisonMarkdown(c: Comparison): string {
  const unsure = c.rows.filter((r) => r.verdict === "inconclusive").length;
  const headline = c.passed ? `passed${unsure > 0 ? ` (${unsure} inconclusive)` : ""}` : "**regression found**";
  const lines = [
    `### statebench regression check: ${headline}`,
    "",
    "| metric | kind | baseline | current | change | tolerance | p | verdict | why |",
    "|---|---|---:|---:|---:|---:|---:|---|---|",
  ];
  const order: RowVerdict[] = ["failed", "regressed", "inconclusive", "accepted", "improved", "missing", "new", "ok"];
  const rows = [...c.rows].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict));
  for (const r of rows) {
    const p = r.p === null ? "—" : r.p.toFixed(3);
    const why = r.n ? `${r.why} (n=${r.n[0]}+${r.n[1]})` : r.why;
    lines.push(
      `| ${r.key} | ${r.kind} | ${num(r.baseline)} | ${num(r.current)} | ${pct(r.change)} | ${r.tolerance === null ? "—" : `±${(r.tolerance * 100).toFixed(1)}%`} | ${p} | ${MARK[r.verdict]} | ${why} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
