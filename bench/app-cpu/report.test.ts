import assert from "node:assert/strict";
import { test } from "node:test";
import { type RoundRow, summarise, table } from "./report.ts";
import type { Target, TargetName } from "./targets.ts";

const target = (name: TargetName, description: string): Target => ({
  name,
  description,
  url: "http://127.0.0.1:1",
  appPid: 1,
  cpu: async () => ({ appS: 0, appSysS: 0, stackS: 0 }),
  journal: async () => undefined,
  stop: async () => {},
});

const row = (round: number, t: TargetName, appUsPerReq: number, eventsPerTx: number | null): RoundRow => ({
  round,
  target: t,
  requests: 1000,
  ok: 1000,
  unexpected: {},
  reqPerS: 1500,
  appUsPerReq,
  appSysUsPerReq: 10,
  stackUsPerReq: appUsPerReq,
  clientUsPerReq: 50,
  p50Ms: 1,
  p99Ms: 2,
  lagP99Ms: 0.5,
  eventsPerTx,
});

const setup = { rate: 1500, seconds: 6, rounds: 3, connections: 32, pinned: false, command: "x" };

test("ratios are taken against the same round's hello-world, and events/tx is the median of the rounds", () => {
  const targets = [target("hello", "hello"), target("stateful", "stateful, sync persistence")];
  const rows = [
    row(1, "hello", 50, null),
    row(1, "stateful", 150, 1.0),
    row(2, "hello", 100, null),
    row(2, "stateful", 200, 4.0),
    row(3, "hello", 80, null),
    row(3, "stateful", 240, 1.5),
  ];
  const [hello, stateful] = summarise(targets, rows);
  assert.equal(hello?.eventsPerTx, null);
  assert.equal(stateful?.eventsPerTx, 1.5);
  // Per round: 3.0, 2.0, 3.0, so the median is 3 even though the medians of the CPU figures (200 / 80) say 2.5.
  assert.deepEqual(stateful?.appRatio, { median: 3, min: 2, max: 3 });

  const md = table(summarise(targets, rows), setup);
  const statefulLine = md.split("\n").find((l) => l.startsWith("| stateful"));
  assert.match(statefulLine ?? "", /\| 1\.50 \| 1\.0 \/ 2\.0 \|$/);
  const helloLine = md.split("\n").find((l) => l.startsWith("| hello"));
  assert.match(helloLine ?? "", /\| — \| 1\.0 \/ 2\.0 \|$/);
});
