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
} as const;
