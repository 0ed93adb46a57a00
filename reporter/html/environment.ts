import type { RunEnvironment } from "../../harness/results/types.ts";
import { driverOf } from "../driver-info.ts";
import type { LoadedRun } from "../load.ts";
import { esc } from "./escape.ts";

/** Quotes a command line for a POSIX shell so it can be pasted back as is. */
export function shellQuote(args: string[]): string {
  return args.map((a) => (/^[A-Za-z0-9_./:=,@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

function kv(rows: Array<[string, unknown]>): string {
  return rows
    .map(
      ([k, v]) =>
        `<tr><th scope="row">${esc(k)}</th><td>${esc(typeof v === "string" ? v : JSON.stringify(v))}</td></tr>`,
    )
    .join("");
}

function envTable(env: RunEnvironment): string {
  return kv([
    ["run id", env.runId],
    ["started at", env.startedAt],
    [
      "git commit",
      `${env.git.commit ?? "unknown"}${env.git.dirty ? " (working tree dirty: uncommitted changes)" : ""}`,
    ],
    ["statebench", env.versions.statebench],
    ["Node.js", env.versions.node],
    ["PostgreSQL", env.versions.postgres ?? "—"],
    ["Redis", env.versions.redis ?? "—"],
    ["HAProxy", env.versions.haproxy ?? "—"],
    ["OS", `${env.os.platform} ${env.os.release} ${env.os.arch}`],
    ["CPU", `${env.cpu.model} × ${env.cpu.cores} cores`],
    ["memory", `${env.memoryGiB} GiB`],
  ]);
}

/** The run's environment, every knob, each result's app configuration, and the exact command line. */
export function environmentSectionHtml(runs: LoadedRun[]): string {
  const blocks = runs.map((run) => {
    const env = run.environment;
    const apps = run.summary.results.map(
      (r) =>
        `<tr><th scope="row">${esc(`${r.scenario} · ${r.app}`)}</th><td>${esc(
          Object.entries(r.appConfig)
            .map(([k, v]) => `${k}=${v ?? "none"}`)
            .join(" "),
        )}</td><td>${esc(driverOf(r).name)}</td><td>${esc(r.window.startedAt)}</td><td class="num">${esc(r.window.durationS)}</td></tr>`,
    );
    return (
      `<div class="env-run"><h3>${esc(env.runId)}</h3>` +
      `<p class="label">Command line (rerun from the repository root at the commit below)</p>` +
      `<pre class="cmd" data-run="${esc(env.runId)}">${esc(shellQuote(env.command))}</pre>` +
      `<div class="env-grid"><table class="data kv"><caption>Environment</caption><tbody>${envTable(env)}</tbody></table>` +
      `<table class="data kv"><caption>Knobs</caption><tbody>${kv(Object.entries(env.knobs))}</tbody></table></div>` +
      `<table class="data"><caption>Apps as run</caption><thead><tr><th>scenario · app</th><th>app config</th><th>driver</th>` +
      `<th>window start</th><th class="num">window (s)</th></tr></thead><tbody>${apps.join("")}</tbody></table>` +
      `<p class="muted">Read from ${esc(run.dir)}</p></div>`
    );
  });
  return `<section id="environment"><h2>Environment and knobs</h2>${blocks.join("\n")}</section>`;
}
