import type { Comparison, RowVerdict } from "./compare.ts";

const MARK: Record<RowVerdict, string> = {
  ok: "ok",
  improved: "improved",
  regressed: "**REGRESSED**",
  failed: "**FAILED**",
  new: "new",
  missing: "missing",
};

const num = (x: number | null) => (x === null ? "—" : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
const pct = (x: number | null) => (x === null ? "—" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`);

/** The comparison as a Markdown table: what moved, and why it is or is not significant. */
export function comparisonMarkdown(c: Comparison): string {
  const lines = [
    `### statebench regression check: ${c.passed ? "passed" : "**regression found**"}`,
    "",
    "| metric | kind | baseline | current | change | tolerance | p | verdict | why |",
    "|---|---|---:|---:|---:|---:|---:|---|---|",
  ];
  const order: RowVerdict[] = ["failed", "regressed", "improved", "missing", "new", "ok"];
  const rows = [...c.rows].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict));
  for (const r of rows) {
    const p = r.p === null ? "—" : r.p.toFixed(3);
    lines.push(
      `| ${r.key} | ${r.kind} | ${num(r.baseline)} | ${num(r.current)} | ${pct(r.change)} | ${r.tolerance === null ? "—" : `±${(r.tolerance * 100).toFixed(1)}%`} | ${p} | ${MARK[r.verdict]} | ${r.why} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
