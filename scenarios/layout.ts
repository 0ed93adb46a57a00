import type { Scenario } from "./types.ts";

type Section = Scenario["event"]["sections"][number];

/** `count` sections named S01, S02, ... (best first), seats split as evenly as possible over them. */
export function splitSeats(totalSeats: number, count: number): Section[] {
  const n = Math.max(1, Math.min(count, totalSeats));
  const width = Math.max(2, String(n).length);
  const base = Math.floor(totalSeats / n);
  const extra = totalSeats % n;
  return Array.from({ length: n }, (_, i) => ({
    id: `S${String(i + 1).padStart(width, "0")}`,
    seats: base + (i < extra ? 1 : 0),
  }));
}
