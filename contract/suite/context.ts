import type { Api } from "./api.ts";

/** What every group of cases receives from `runContractSuite`. */
export interface SuiteContext {
  api: Api;
  /** Hold TTL (ms) of the events the expiry cases create. */
  shortTtlMs: number;
  /** Registers one case as an `it`, skipped when the caller's skip list names it. Names are unique in the suite. */
  test(name: string, fn: () => Promise<void>): void;
}

/**
 * How long after `expiresAt` an expired hold may still count as held (apps may sweep periodically). Confirming it
 * is refused from `expiresAt` on; only the seat's return to `available` may lag by this much.
 */
export const EXPIRY_GRACE_MS = 5_000;
