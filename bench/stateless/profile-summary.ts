// Summarises a `.cpuprofile`: self time by package/file and the top functions.
//   node --import tsx bench/stateless/profile-summary.ts <file.cpuprofile>
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const file = process.argv[2];
if (!file) throw new Error("usage: profile-summary.ts <file.cpuprofile>");
const prof = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[] };
const total = prof.samples.length;
const byFile = new Map<string, number>();
const byFn = new Map<string, number>();
for (const n of prof.nodes) {
  const hits = n.hitCount ?? 0;
  const url = n.callFrame.url.replace(/^file:\/\//, "");
  const pkg =
    /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
    (url.includes("/work/main/") ? url.split("/work/main/")[1] : url || "(native)");
  byFile.set(pkg ?? "", (byFile.get(pkg ?? "") ?? 0) + hits);
  const fn = `${n.callFrame.functionName || "(anon)"} ${pkg}:${n.callFrame.lineNumber}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + hits);
}
const top = (m: Map<string, number>, k: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, h]) => `  ${((100 * h) / total).toFixed(1).padStart(5)}%  ${name}`);
console.log(
  `${total} samples\nby package/file:\n${top(byFile, 15).join("\n")}\ntop functions:\n${top(byFn, 25).join("\n")}`,
);
