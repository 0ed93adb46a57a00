// Types for journey-logic.js (plain JavaScript so the k6 script imports it unchanged).
import type { AckRecord } from "../harness/results/types.ts";
import type { Journey } from "./types.ts";

export type Endpoint = "event-summary" | "seat-list" | "hold" | "confirm" | "release";
export declare const ENDPOINTS: readonly Endpoint[];
export declare const LIST_LIMIT: number;

export interface SectionLayout {
  id: string;
  seats: number;
}

/** A seeded PRNG returning floats in [0, 1). */
export type Rng = () => number;

export declare function createRng(seed: number): Rng;
export declare function mixSeed(seed: number, index: number): number;
export declare function zipfCdf(n: number, s: number): Float64Array;
export declare function zipfIndex(rng: Rng, n: number, s: number): number;
export declare function layoutCapacity(sections: readonly SectionLayout[]): number;
export declare function seatAtRank(sections: readonly SectionLayout[], rank: number): string | null;
export declare function sortBestFirst(sections: readonly SectionLayout[], seatIds: string[]): string[];
export declare function pickSeat(
  rng: Rng,
  sections: readonly SectionLayout[],
  journey: Journey,
  list: string[] | null,
  tried: ReadonlySet<string>,
): string | null;
export declare function outcomeOf(status: number): "ok" | "fail" | "info";
export declare function isError(status: number): boolean;

/** One HTTP request of a journey. */
export interface Step {
  endpoint: Endpoint;
  method: "GET" | "POST" | "DELETE";
  /** Path and query, relative to the base URL. */
  path: string;
  /** JSON body, already serialised. */
  body: string | null;
  /** Pause before sending, after the previous step's answer (0 for the first step). */
  thinkMs: number;
  /** Set for the writes the acknowledgement log records. */
  op: "hold" | "confirm" | "release" | undefined;
  seatId: string | null;
  userId: string;
  holdId: string | null;
}

/** The answer to a step: status 0 when there was none (timeout, connection error); body is parsed JSON or null. */
export interface StepResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any endpoint
  body: any;
  /** A seat list's available seat ids, in listed order, when the caller read them itself (then `body` is unused). */
  seatIds?: string[];
}

export type JourneyOutcome =
  | "browsed"
  | "confirmed"
  | "released"
  | "abandoned"
  | "expired"
  | "gave-up"
  | "sold-out"
  | "error";

export interface JourneyRun {
  readonly userId: string;
  /** Set when `next` has returned null. */
  outcome: JourneyOutcome | null;
  next(result?: StepResult): Step | null;
}

export declare function createJourney(opts: {
  eventId: string;
  sections: readonly SectionLayout[];
  journey: Journey;
  userId: string;
  seed: number;
}): JourneyRun;

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any endpoint
export declare function ackRecord(step: Step, status: number, body: any, t: number): AckRecord | null;
