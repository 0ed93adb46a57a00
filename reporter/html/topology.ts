import type { AppRunSummary, Topology } from "../../harness/results/types.ts";
import type { ReportView } from "../view.ts";
import { esc } from "./escape.ts";

const SOURCE: Record<Topology["components"][number]["sampledBy"], string> = {
  proc: "/proc (same machine)",
  metrics: "its /metrics (Prometheus)",
  "redis-info": "Redis INFO",
  none: "not exposed",
};

/** "each component on its own host (network namespaces on 10.77.3.0/24)", for a heading or a Markdown line. */
export function topologyLine(t: Topology): string {
  const hosts = new Set(t.components.map((c) => c.host)).size;
  if (t.mode === "netns")
    return `each component on its own host: ${hosts} hosts, network namespaces on ${t.subnet ?? "a private subnet"}`;
  if (t.mode === "remote") return `a remote deployment on ${hosts} host(s), reached by URL`;
  return "everything on this machine's 127.0.0.1";
}

function resultTable(r: AppRunSummary & { topology: Topology }): string {
  const rows = r.topology.components.map((c) => {
    const cpu = r.cpu.maxPercentByProcess[c.label];
    return (
      `<tr><td>${esc(c.label)}</td><td>${esc(c.role)}</td><td>${esc(c.host)}</td><td>${esc(c.address ?? "—")}</td>` +
      `<td>${esc(SOURCE[c.sampledBy])}</td><td class="num">${cpu === undefined ? "—" : esc(cpu)}</td></tr>`
    );
  });
  return (
    `<table class="data"><caption>${esc(`${r.scenario} · ${r.app}`)}: ${esc(topologyLine(r.topology))}</caption>` +
    `<thead><tr><th>component</th><th>role</th><th>host</th><th>listens on</th><th>CPU/RSS from</th>` +
    `<th class="num">peak CPU (% of a core)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`
  );
}

/**
 * Where each component ran and where its CPU and memory figures came from. Only for runs that were not all on
 * one loopback (older summaries have no topology; a local run says so in one line).
 */
export function topologySectionHtml(view: ReportView): string {
  const results = view.runs.flatMap((run) => run.summary.results);
  const spread = results.filter(
    (r): r is AppRunSummary & { topology: Topology } => !!r.topology && r.topology.mode !== "local",
  );
  if (spread.length === 0) return "";
  return (
    `<section id="topology"><h2>Topology</h2><p class="lead">Which host each component ran on. In a netns run every ` +
    `component has its own network namespace and address on a private subnet (veth links to one bridge on this ` +
    `machine, without added delay): servers listen on that address, not on 127.0.0.1. Process CPU and memory come ` +
    `from /proc where the harness shares the machine, else from the component's own metrics.</p>` +
    `${spread.map(resultTable).join("\n")}</section>`
  );
}

/** The Markdown lines of the same: one per result that ran spread over hosts. */
export function topologyMarkdown(view: ReportView): string[] {
  const lines: string[] = [];
  for (const r of view.runs.flatMap((run) => run.summary.results)) {
    const t = r.topology;
    if (!t || t.mode === "local") continue;
    const byHost = new Map<string, string[]>();
    for (const c of t.components) byHost.set(c.host, [...(byHost.get(c.host) ?? []), c.label]);
    const hosts = [...byHost].map(([h, cs]) => `${h}: ${cs.join(", ")}`).join("; ");
    lines.push(`- ${r.scenario} · ${r.app}: ${topologyLine(t)} (${hosts})`);
  }
  return lines.length > 0 ? ["### Topology", "", ...lines, ""] : [];
}
