/**
 * A small in-test stand-in for k6 (k6 itself cannot be installed on this machine): loads a k6 script with its
 * `k6/*` imports sent to shim modules, runs iterations one after another on one VU with synchronous HTTP
 * against a real server (the contract's reference app in a worker thread), and writes the samples in the
 * `--out json` line format of k6's output/json/wrapper.go, so the harness's parser reads them like k6's.
 */
import { readFileSync } from "node:fs";
import { register } from "node:module";
import { pathToFileURL } from "node:url";
import { type ShimSample, shim } from "./state.ts";
import { type SyncHttp, startSyncHttp } from "./sync-http.ts";

export { type SyncHttp, shim, startSyncHttp };

let hooked = false;
let loads = 0;

export interface LoadedScript {
  options: unknown;
  setup?: () => unknown;
  run: () => void;
}

/** Imports a k6 script under the shim with `__ENV` = env (a fresh module instance per call). */
export async function loadK6Script(path: string, env: Record<string, string>): Promise<LoadedScript> {
  if (!hooked) {
    register(new URL("./hooks.mjs", import.meta.url));
    hooked = true;
  }
  const g = globalThis as Record<string, unknown>;
  g.__ENV = { ...env };
  g.__VU = 1;
  g.open = (p: string) => readFileSync(p, "utf8");
  loads += 1;
  const mod = (await import(`${pathToFileURL(path).href}?shim=${loads}`)) as {
    options: unknown;
    setup?: () => unknown;
    default: () => void;
  };
  const setup = mod.setup;
  return {
    options: mod.options,
    setup: setup
      ? () => {
          shim.scenario = { ...shim.scenario, name: "" };
          return setup();
        }
      : undefined,
    run: mod.default,
  };
}

/** Runs `count` iterations of a k6 scenario, numbered from 0 as k6's `iterationInTest`. */
export function runIterations(script: LoadedScript, scenario: string, count: number, startTime: number): void {
  for (let i = 0; i < count; i++) {
    shim.scenario = { name: scenario, executor: "ramping-arrival-rate", startTime, iterationInTest: i };
    shim.vu.iterationInScenario = i;
    (globalThis as Record<string, unknown>).__ITER = i;
    script.run();
    shim.samples.push({
      metric: "iterations",
      type: "counter",
      contains: "default",
      time: Date.now(),
      value: 1,
      tags: { group: "", scenario },
      metadata: null,
    });
  }
}

/** The samples as k6's `--out json` lines: a `Metric` line before each metric's first `Point`. */
export function toK6Ndjson(samples: ShimSample[]): string[] {
  const declared = new Set<string>();
  const lines: string[] = [];
  for (const s of samples) {
    if (!declared.has(s.metric)) {
      declared.add(s.metric);
      lines.push(
        JSON.stringify({
          type: "Metric",
          data: { name: s.metric, type: s.type, contains: s.contains, thresholds: [], submetrics: null },
          metric: s.metric,
        }),
      );
    }
    const data: Record<string, unknown> = { time: new Date(s.time).toISOString(), value: s.value, tags: s.tags };
    if (s.metadata) data.metadata = s.metadata;
    lines.push(JSON.stringify({ metric: s.metric, type: "Point", data }));
  }
  return lines;
}

/** Clears recorded samples and counters between runs. */
export function resetShim(): void {
  shim.samples = [];
  shim.sleptMs = 0;
  shim.checks = { passes: 0, fails: 0 };
  shim.vu.metadata = {};
}
