import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  ackRecord,
  createJourney,
  createRng,
  isError,
  outcomeOf,
  pickSeat,
  type Step,
  type StepResult,
  sortBestFirst,
  zipfCdf,
  zipfIndex,
} from "./journey-logic.js";
import type { Journey } from "./types.ts";

const sections = [
  { id: "A", seats: 100 },
  { id: "B", seats: 100 },
  { id: "C", seats: 100 },
];
const base: Journey = {
  browseOnly: 0,
  readAvailability: true,
  holdAttempts: 4,
  confirmRatio: 1,
  releaseRatio: 0,
  hotness: 1.1,
  thinkMs: 0,
};

/** Drives a journey with a scripted app; returns its steps and outcome. */
function drive(journey: Journey, seed: number, answer: (s: Step) => StepResult) {
  const j = createJourney({ eventId: "ev1", sections, journey, userId: "u1", seed });
  const steps: Step[] = [];
  let step = j.next();
  while (step && steps.length < 50) {
    steps.push(step);
    step = j.next(answer(step));
  }
  return { steps, outcome: j.outcome };
}

const listOf = (ids: string[]) => ({
  status: 200,
  body: { seats: ids.map((seatId) => ({ seatId, status: "available" })) },
});
const allOpen = (s: Step): StepResult => {
  if (s.endpoint === "seat-list") return listOf(Array.from({ length: 100 }, (_, i) => `B-${i + 1}`));
  if (s.endpoint === "hold") return { status: 201, body: { holdId: `h-${s.seatId}` } };
  if (s.endpoint === "confirm") return { status: 200, body: { bookingId: "bk1" } };
  return { status: 204, body: null };
};

function bump(counts: Uint32Array, i: number) {
  counts[i] = (counts[i] ?? 0) + 1;
}

describe("seeded PRNG and Zipf choice", () => {
  it("repeats exactly for a seed and differs across seeds", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b()),
    );
    assert.notDeepEqual(
      xs,
      Array.from({ length: 5 }, () => c()),
    );
    for (const x of xs) assert.ok(x >= 0 && x < 1);
  });

  it("skews picks to the best seats (s = 1.1) and is flat for s = 0", () => {
    const draws = 20_000;
    const rng = createRng(7);
    const hot = new Uint32Array(1000);
    for (let i = 0; i < draws; i++) bump(hot, zipfIndex(rng, 1000, 1.1));
    const top10 = hot.slice(0, 10).reduce((a, b) => a + b, 0) / draws;
    // Exact share of the 10 best of 1,000 seats under Zipf(1.1) is ~49%.
    const expected = zipfCdf(1000, 1.1)[9] ?? 0;
    assert.ok(Math.abs(top10 - expected) < 0.02, `top-10 share ${top10} vs ${expected}`);
    assert.ok((hot[0] ?? 0) > 50 * Math.max(1, hot[999] ?? 0), "seat 1 is far hotter than seat 1000");
    const flat = createRng(7);
    const uni = new Uint32Array(1000);
    for (let i = 0; i < draws; i++) bump(uni, zipfIndex(flat, 1000, 0));
    const top10u = uni.slice(0, 10).reduce((a, b) => a + b, 0) / draws;
    assert.ok(top10u < 0.02, `uniform top-10 share ${top10u}`);
  });

  it("picks from the availability list skewed to its head, never a seat already tried", () => {
    const rng = createRng(1);
    const list = Array.from({ length: 100 }, (_, i) => `A-${i + 1}`);
    let head = 0;
    for (let i = 0; i < 2000; i++) if (pickSeat(rng, sections, base, list, new Set()) === "A-1") head++;
    assert.ok(head > 2000 * 0.15, `A-1 picked ${head} times of 2000`);
    const tried = new Set(list.slice(0, 99));
    assert.equal(pickSeat(rng, sections, base, list, tried), "A-100");
    assert.equal(pickSeat(rng, sections, base, list, new Set([...tried, "A-100"])), null);
  });

  it("orders listed seats best-first whatever order the app used", () => {
    assert.deepEqual(sortBestFirst(sections, ["C-1", "A-10", "B-2", "A-2"]), ["A-2", "A-10", "B-2", "C-1"]);
  });
});

describe("journey state machine", () => {
  it("reads availability, holds, confirms; acks carry the hold and booking ids", () => {
    const { steps, outcome } = drive(base, 3, allOpen);
    assert.deepEqual(
      steps.map((s) => s.endpoint),
      ["seat-list", "hold", "confirm"],
    );
    assert.equal(outcome, "confirmed");
    const [, hold, confirm] = steps as [Step, Step, Step];
    assert.match(hold.seatId ?? "", /^B-\d+$/);
    assert.equal(confirm.path, `/events/ev1/holds/h-${hold.seatId}/confirm`);
    assert.deepEqual(ackRecord(hold, 201, { holdId: "h9" }, 5), {
      op: "hold",
      type: "ok",
      seatId: hold.seatId,
      userId: "u1",
      status: 201,
      t: 5,
      holdId: "h9",
    });
    assert.equal(ackRecord(confirm, 200, { bookingId: "bk1" }, 6)?.bookingId, "bk1");
    assert.equal(ackRecord(confirm, 0, null, 7)?.type, "info");
    assert.equal(ackRecord(steps[0] as Step, 200, null, 1), null);
  });

  it("is deterministic for a seed", () => {
    const a = drive(base, 11, allOpen).steps;
    const b = drive(base, 11, allOpen).steps;
    assert.deepEqual(a, b);
    const seats = new Set(Array.from({ length: 20 }, (_, k) => drive(base, 100 + k, allOpen).steps[1]?.seatId));
    assert.ok(seats.size > 1, "different seeds pick different seats");
  });

  it("on 409 tries another seat, up to holdAttempts, then gives up", () => {
    const { steps, outcome } = drive(base, 5, (s) =>
      s.endpoint === "hold" ? { status: 409, body: null } : allOpen(s),
    );
    const holds = steps.filter((s) => s.endpoint === "hold");
    assert.equal(holds.length, base.holdAttempts);
    assert.equal(new Set(holds.map((h) => h.seatId)).size, holds.length, "every retry is another seat");
    assert.equal(new Set(holds.map((h) => h.body)).size, holds.length, "every retry has its own requestId");
    assert.equal(outcome, "gave-up");
  });

  it("falls back to the whole event when the section is empty, and stops when sold out", () => {
    const { steps, outcome } = drive(base, 5, (s) => (s.endpoint === "seat-list" ? listOf([]) : allOpen(s)));
    assert.deepEqual(
      steps.map((s) => s.path.includes("section=")),
      [true, false],
    );
    assert.equal(outcome, "sold-out");
  });

  it("hot-seats mode aims only at the first hotSeats seats, without reading availability", () => {
    const hot: Journey = { ...base, readAvailability: false, hotSeats: 5, holdAttempts: 5 };
    for (let seed = 0; seed < 30; seed++) {
      const { steps } = drive(hot, seed, (s) => (s.endpoint === "hold" ? { status: 409, body: null } : allOpen(s)));
      assert.equal(steps[0]?.endpoint, "hold");
      for (const s of steps) assert.match(s.seatId ?? "", /^A-[1-5]$/);
    }
  });

  it("abandons or releases as the ratios say; browsers only read", () => {
    const release = drive({ ...base, confirmRatio: 0, releaseRatio: 1 }, 1, allOpen);
    assert.equal(release.steps.at(-1)?.method, "DELETE");
    assert.equal(release.outcome, "released");
    assert.equal(drive({ ...base, confirmRatio: 0, releaseRatio: 0 }, 1, allOpen).outcome, "abandoned");
    const browse = drive({ ...base, browseOnly: 1 }, 1, (s) =>
      s.endpoint === "event-summary" ? { status: 200, body: {} } : allOpen(s),
    );
    assert.deepEqual(
      browse.steps.map((s) => s.endpoint),
      ["event-summary", "seat-list"],
    );
    assert.equal(browse.outcome, "browsed");
    assert.equal(drive(base, 1, () => ({ status: 0, body: null })).outcome, "error");
  });

  it("classifies answers as Jepsen outcomes and errors", () => {
    assert.deepEqual([201, 409, 410, 400, 503, 0].map(outcomeOf), ["ok", "fail", "fail", "fail", "info", "info"]);
    assert.deepEqual([200, 409, 410, 404, 500, 0].map(isError), [false, false, false, true, true, true]);
  });

  it("stays plain k6-compatible JavaScript: no imports, no ?? or ?.", () => {
    const src = readFileSync(new URL("./journey-logic.js", import.meta.url), "utf8").replace(/\/\/.*$/gm, "");
    assert.doesNotMatch(src, /^\s*import\s/m);
    assert.doesNotMatch(src, /\?\?|\?\./);
    assert.doesNotMatch(src, /\b(require|process|Buffer)\b/);
  });
});
