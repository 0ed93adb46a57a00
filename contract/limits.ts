/** Limits every implementation enforces identically. */
export const LIMITS = {
  maxSeatsPerEvent: 200_000,
  maxSections: 1_000,
  maxBodyBytes: 64 * 1024,
  minHoldTtlMs: 100,
  maxHoldTtlMs: 24 * 3600 * 1000,
  defaultHoldTtlMs: 600_000,
  maxListLimit: 1_000,
  defaultListLimit: 100,
  /**
   * Availability reads (the summary and the seat listing) may lag acknowledged writes by at most this much: a
   * node may answer them from a replicated view (the stateful cluster's, refreshed by the owners' deltas). Holds,
   * confirms, releases and booking reads are never stale. The stateless app's reads are exact (its bound is 0,
   * plus the expiry grace that applies to every app).
   */
  availabilityStalenessMs: 1_000,
} as const;
