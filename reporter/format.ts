/** Number formatting shared by the HTML and Markdown output: few significant digits, thousands separators. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs === 0 ? 0 : 3;
  return x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A share (0..1) as a percentage with enough digits to tell 0.01% from 0. */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return "—";
  if (share === 0) return "0%";
  const pct = share * 100;
  const digits = pct >= 10 ? 1 : pct >= 1 ? 2 : 3;
  return `${pct.toFixed(digits)}%`;
}

/** A ratio as "2.31×"; "—" when it cannot be computed. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "—";
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

/** A threshold's actual value as its expression reads: "errors<1%" compares a share (0.018 → 1.80%). */
export function thresholdActual(expr: string, actual: number | null): string {
  return expr.trim().endsWith("%") ? formatPercent(actual) : formatNumber(actual);
}
