/**
 * Profiles size every scenario for a purpose; each scenario file holds its own table of sizes per profile.
 * - `default`: `npm run bench` (both apps x capacity, flash-sale, node-kill, scale-out) in about 12 minutes on a
 *   2-core machine: 60-75 s of measured load per scenario per app (the capacity search at most 60 s, less when
 *   it stops at the first step that breaks the SLO), plus start-up, warm-up and audit.
 * - `quick`: everything in about 2 minutes: small events, ~10 s of load per run.
 * - `ci`: small and short for the regression job: ~8 s of load at 100-150 journeys/s.
 */
export type ProfileName = "default" | "quick" | "ci";

export const PROFILES: readonly ProfileName[] = ["default", "quick", "ci"];

/** The scenarios `npm run bench` compares by default. */
export const BENCH_SCENARIOS = ["capacity", "flash-sale", "node-kill", "scale-out"] as const;

export function isProfileName(x: string): x is ProfileName {
  return (PROFILES as readonly string[]).includes(x);
}
