/**
 * Shared state of the k6 shim: the samples the script emits (as k6 would hand them to `--out json`), the
 * execution context of the iteration being run, and the synchronous HTTP transport. The shim modules and the
 * test runner import this one module instance.
 */
export interface ShimSample {
  metric: string;
  type: "counter" | "gauge" | "rate" | "trend";
  contains: "default" | "time" | "data";
  time: number;
  value: number;
  tags: Record<string, string>;
  metadata: Record<string, string> | null;
}

export interface SyncResponse {
  status: number;
  body: string;
  durationMs: number;
  /** k6-style error code when there was no answer (1050 = timeout, 1000 = generic). */
  errorCode: number | null;
}

export type SyncRequest = (
  method: string,
  url: string,
  body: string | null,
  headers: Record<string, string>,
  timeoutMs: number,
) => SyncResponse;

export const shim = {
  samples: [] as ShimSample[],
  scenario: { name: "measured", executor: "ramping-arrival-rate", startTime: 0, iterationInTest: 0 },
  vu: { idInTest: 1, iterationInScenario: 0, metadata: {} as Record<string, string> },
  sleptMs: 0,
  transport: null as SyncRequest | null,
  checks: { passes: 0, fails: 0 },
};

/** Records one sample with k6's system tags (scenario, group) and the VU's current metadata. */
export function emit(
  metric: string,
  type: ShimSample["type"],
  contains: ShimSample["contains"],
  value: number,
  tags: Record<string, string> = {},
): void {
  const meta = shim.vu.metadata;
  shim.samples.push({
    metric,
    type,
    contains,
    time: Date.now(),
    value,
    // k6 tags samples of setup() and teardown() with no scenario.
    tags: shim.scenario.name ? { group: "", scenario: shim.scenario.name, ...tags } : { group: "::setup", ...tags },
    metadata: Object.keys(meta).length > 0 ? { ...meta } : null,
  });
}
