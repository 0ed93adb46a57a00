import { SIDE_COLORS } from "../charts/palette.ts";

/** The page's only stylesheet, inlined: the report must open with no network. */
export const CSS = `
:root { --side0: ${SIDE_COLORS[0]}; --side1: ${SIDE_COLORS[1]}; --ink: #111827; --muted: #6b7280; --line: #e5e7eb;
  --bg: #f6f7f9; --ok: #15803d; --ok-bg: #dcfce7; --bad: #b91c1c; --bad-bg: #fee2e2; --warn: #92400e; --warn-bg: #fef3c7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
.top { background: #0f172a; color: #e2e8f0; padding: 12px 28px; display: flex; align-items: baseline; gap: 18px; flex-wrap: wrap; }
.top h1 { font-size: 18px; margin: 0; color: #fff; font-weight: 650; letter-spacing: .2px; }
.top .meta { font-size: 12.5px; color: #94a3b8; }
.top .meta b { color: #cbd5e1; font-weight: 600; }
nav.toc { background: #1e293b; padding: 6px 28px; position: sticky; top: 0; z-index: 5; font-size: 13px; }
nav.toc a { color: #cbd5e1; text-decoration: none; margin-right: 16px; }
nav.toc a:hover { color: #fff; }
main { max-width: 1340px; margin: 0 auto; padding: 14px 28px 60px; }
h2 { font-size: 19px; margin: 26px 0 6px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h2 .sub { color: var(--muted); font-weight: 400; font-size: 14px; }
h3 { font-size: 15px; margin: 0 0 8px; }
h3 a { color: inherit; text-decoration: none; }
.glance { float: right; font-size: 12.5px; font-weight: 400; color: #4b5563; }
.lead { color: #374151; margin: 4px 0 12px; }
.muted { color: var(--muted); font-size: 12px; }
.side0 { color: var(--side0); font-weight: 650; }
.side1 { color: var(--side1); font-weight: 650; }
.alerts { margin-top: 4px; }
.banner { border-radius: 6px; padding: 10px 14px; margin: 8px 0; border: 1px solid; }
.banner ul { margin: 6px 0 0; padding-left: 20px; }
.banner li { margin: 2px 0; }
.banner details summary { cursor: pointer; margin: 4px 0 0 20px; font-weight: 600; }
.banner .scope { font-weight: 600; }
.banner-fail { background: var(--bad-bg); border-color: #fca5a5; color: #7f1d1d; border-left: 6px solid var(--bad); }
.banner-fail > strong { font-size: 15px; }
.banner-warn { background: var(--warn-bg); border-color: #fcd34d; color: var(--warn); border-left: 6px solid #d97706; }
.banner-finding { background: #eff6ff; border-color: #93c5fd; color: #1e3a8a; border-left: 6px solid #2563eb; }
.banner-ok { background: var(--ok-bg); border-color: #86efac; color: #14532d; border-left: 6px solid var(--ok); }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; }
.verdict-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(600px, 100%), 1fr)); gap: 14px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.verdict-table { width: 100%; }
.verdict-table th, .verdict-table td { padding: 3px 8px; font-size: 13.5px; border-bottom: 1px solid #f1f5f9; text-align: left; }
.verdict-table thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .4px; color: var(--muted); border-bottom: 2px solid var(--line); }
.verdict-table thead th.side0 { color: var(--side0); } .verdict-table thead th.side1 { color: var(--side1); }
.verdict-table tr.group th { background: #f8fafc; color: #475569; font-size: 11.5px; text-transform: uppercase; letter-spacing: .5px; padding-top: 6px; }
.verdict-table tbody th { font-weight: 500; white-space: nowrap; }
.num { text-align: right !important; white-space: nowrap; }
td.better { background: var(--ok-bg); color: #14532d; font-weight: 650; }
td.bad, .bad { color: var(--bad); font-weight: 700; }
.verdict-table td.bad { white-space: normal; }
.card.verdict { overflow-x: auto; }
td.bad.better { background: transparent; }
.ok { color: var(--ok); font-weight: 600; }
.mark { font-size: 10px; color: var(--ok); }
.ratio { color: #374151; }
.unit { color: var(--muted); font-size: 12px; }
.dir { color: #9ca3af; font-size: 12px; }
.config { margin-top: 8px; font: 12px/1.5 ui-monospace, "DejaVu Sans Mono", monospace; color: #4b5563; }
.claims { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(560px, 100%), 1fr)); gap: 14px; }
.claim { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; border-top: 4px solid #9ca3af; }
.claim header { display: flex; gap: 10px; align-items: baseline; }
.claim h3 { margin: 0; }
.verdict-badge { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .5px; padding: 2px 8px; border-radius: 10px; white-space: nowrap; background: #e5e7eb; color: #374151; }
.claim-supported { border-top-color: var(--ok); } .claim-supported .verdict-badge { background: var(--ok-bg); color: var(--ok); }
.claim-contradicted { border-top-color: var(--bad); } .claim-contradicted .verdict-badge { background: var(--bad-bg); color: var(--bad); }
blockquote { margin: 10px 0; padding: 6px 12px; border-left: 3px solid #cbd5e1; color: #334155; font-style: italic; background: #f8fafc; }
blockquote cite { display: block; margin-top: 4px; font-style: normal; font-size: 12px; color: var(--muted); }
.evidence ul { margin: 4px 0 6px; padding-left: 18px; font-size: 13px; }
.rule summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
.rule p { font-size: 12.5px; color: #374151; margin: 4px 0 0; }
.chart-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(600px, 100%), 1fr)); gap: 12px; }
figure.chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px 4px; }
figure.chart figcaption { font-weight: 600; font-size: 13.5px; margin-bottom: 2px; }
figure.chart img { width: 100%; height: auto; display: block; }
table.round-trips .model { background: #fffbeb; font-style: italic; }
table.data { width: 100%; background: #fff; border: 1px solid var(--line); margin: 6px 0 14px; }
table.data.narrow { width: auto; min-width: 60%; }
table.data caption { text-align: left; font-weight: 600; padding: 4px 0; }
table.data th, table.data td { padding: 5px 9px; border-bottom: 1px solid #f1f5f9; text-align: left; vertical-align: top; }
table.data thead th { background: #f8fafc; font-size: 12px; color: #475569; border-bottom: 2px solid var(--line); }
table.data tbody th { font-weight: 500; white-space: nowrap; }
table.data td.notes { overflow-wrap: anywhere; }
table.data td.notes ul { margin: 0; padding-left: 16px; font-size: 12.5px; }
tr.row-fail { background: #fff5f5; }
.audit-pass { color: var(--ok); font-weight: 700; } .audit-fail { color: var(--bad); font-weight: 700; } .audit-unknown { color: var(--warn); font-weight: 700; }
.alert-list { padding-left: 0; list-style: none; } .alert-list li { padding: 3px 0; }
.alert-list li.fail b { color: var(--bad); } .alert-list li.warn b { color: #d97706; }
.env-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 14px; }
table.kv td { overflow-wrap: anywhere; font: 12.5px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; }
table.kv th { width: 30%; color: #475569; }
pre.cmd { background: #0f172a; color: #e2e8f0; padding: 10px 12px; border-radius: 6px; overflow-x: auto; font-size: 12.5px; }
.label { font-weight: 600; margin: 6px 0 2px; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; margin-top: 30px; }
@media print { nav.toc { display: none; } .chart-grid, .verdict-grid, .claims { grid-template-columns: 1fr; } }
`;
