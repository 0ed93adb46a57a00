// Shim of the `k6` module: check, fail, group, sleep (sleep is recorded, not slept: the journey's think time is
// the script's business, the test checks it was asked for).
import { emit, shim } from "../state.ts";

type Checks = Record<string, (v: unknown) => boolean>;

export function check(value: unknown, checks: Checks, tags: Record<string, string> = {}): boolean {
  let all = true;
  for (const [name, fn] of Object.entries(checks)) {
    const ok = Boolean(fn(value));
    if (ok) shim.checks.passes += 1;
    else shim.checks.fails += 1;
    emit("checks", "rate", "default", ok ? 1 : 0, { ...tags, check: name });
    all &&= ok;
  }
  return all;
}

export function fail(message: string): never {
  throw new Error(message);
}

export function group<T>(_name: string, fn: () => T): T {
  return fn();
}

export function sleep(seconds: number): void {
  shim.sleptMs += seconds * 1000;
}

export default { check, fail, group, sleep };
