// The user journey as a pure state machine, shared unchanged by the embedded driver (TypeScript) and the k6
// script (plain k6 JavaScript). No Node or k6 APIs here, and only syntax k6 >= 0.48 runs (no `??`, no `?.`).
// Types: journey-logic.d.ts.

/** Endpoint names, as the driver's histograms and the k6 metrics tag them. */
export const ENDPOINTS = ["event-summary", "seat-list", "hold", "confirm", "release"];

/** Seats asked for per availability read (the contract's default list limit). */
export const LIST_LIMIT = 100;

/** Mulberry32: a small seeded PRNG, so a journey's choices repeat exactly for the same seed. */
export function createRng(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a run seed and a journey index into one 32-bit seed (splitmix-style), so journeys are independent. */
export function mixSeed(seed, index) {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index >>> 0, 0x85ebca77)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

// Cumulative Zipf tables keyed by "n:s". Lists of available seats have at most LIST_LIMIT entries and layouts a
// handful of sizes, so the cache stays small; it is bounded anyway.
const zipfTables = {};
let zipfTableCount = 0;

let lastZipf = null;
let lastZipfN = -1;
let lastZipfS = -1;

/** Cumulative distribution of Zipf(s) over ranks 1..n (normalised to end at 1). */
export function zipfCdf(n, s) {
  // Journeys of a run ask for the same table again and again: the last one is kept without building a key.
  if (n === lastZipfN && s === lastZipfS) return lastZipf;
  const key = `${n}:${s}`;
  const cached = zipfTables[key];
  if (cached) {
    lastZipf = cached;
    lastZipfN = n;
    lastZipfS = s;
    return cached;
  }
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / k ** s;
    cdf[k - 1] = sum;
  }
  for (let k = 0; k < n; k++) cdf[k] = cdf[k] / sum;
  if (zipfTableCount < 512) {
    zipfTables[key] = cdf;
    zipfTableCount++;
  }
  lastZipf = cdf;
  lastZipfN = n;
  lastZipfS = s;
  return cdf;
}

/** A Zipf-skewed index in 0..n-1 (0 = best); s = 0 is uniform. */
export function zipfIndex(rng, n, s) {
  if (n <= 1) return 0;
  const u = rng();
  if (s === 0) return Math.min(n - 1, Math.floor(u * n));
  const cdf = zipfCdf(n, s);
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Total seats of a layout. */
export function layoutCapacity(sections) {
  let total = 0;
  for (let i = 0; i < sections.length; i++) total += sections[i].seats;
  return total;
}

/** The seat at a best-first rank (0-based): sections in layout order, seats by number within a section. */
export function seatAtRank(sections, rank) {
  let r = rank;
  for (let i = 0; i < sections.length; i++) {
    const sec = sections[i];
    if (r < sec.seats) return `${sec.id}-${r + 1}`;
    r -= sec.seats;
  }
  return null;
}

/** Best-first sort key of a seat id: section position, then seat number. */
function seatKey(sectionRank, seatId) {
  const dash = seatId.lastIndexOf("-");
  const rank = sectionRank[seatId.slice(0, dash)];
  return (rank === undefined ? 1e6 : rank) * 1e7 + Number(seatId.slice(dash + 1));
}

/**
 * Whether seat id `a` (its last dash at `da`) comes no later than `b` (at `db`) best-first. Neighbours in a list
 * are mostly of one section: then the seat numbers compare as digit strings (shorter is smaller), without
 * cutting substrings or parsing.
 */
function notAfter(sectionRank, a, da, b, db) {
  if (da === db) {
    let same = true;
    for (let i = 0; i < da && same; i++) same = a.charCodeAt(i) === b.charCodeAt(i);
    if (same) return a.length < b.length || (a.length === b.length && a <= b);
  }
  return seatKey(sectionRank, a) <= seatKey(sectionRank, b);
}

/** Orders seat ids best-first, whatever order the app listed them in (the contract does not fix one). */
export function sortBestFirst(sections, seatIds) {
  const sectionRank = rankOf(sections);
  // Apps usually list seats in order already: check that first, without allocating, and skip the sort. Each
  // id's dash is found once, not once per comparison.
  let sorted = true;
  let dash = seatIds.length > 0 ? seatIds[0].lastIndexOf("-") : -1;
  for (let i = 1; i < seatIds.length && sorted; i++) {
    const next = seatIds[i].lastIndexOf("-");
    sorted = notAfter(sectionRank, seatIds[i - 1], dash, seatIds[i], next);
    dash = next;
  }
  if (sorted) return seatIds;
  return seatIds
    .map((id) => ({ id: id, key: seatKey(sectionRank, id) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.id);
}

// Section positions of the last layout seen (every journey of a run shares one layout).
let rankedSections = null;
let sectionRanks = null;
function rankOf(sections) {
  if (rankedSections !== sections) {
    sectionRanks = {};
    for (let i = 0; i < sections.length; i++) sectionRanks[sections[i].id] = i;
    rankedSections = sections;
  }
  return sectionRanks;
}

/**
 * Picks a seat nobody in this journey tried yet. With `list` (available seats, best-first) the pick is skewed
 * over the list; without, over the layout's seats (or its first `journey.hotSeats`). Returns null when every
 * candidate was tried. `tried` is a Set of seat ids: a Set hashes a freshly sliced id once, where an object key
 * lookup interns it in V8's string table on every probe (15% of the embedded driver's CPU, measured with perf).
 */
export function pickSeat(rng, sections, journey, list, tried) {
  if (list) {
    // Most picks are a journey's first: nothing tried, so the k-th seat of the list is the pick.
    if (tried.size === 0) return list.length === 0 ? null : list[zipfIndex(rng, list.length, journey.hotness)];
    // The k-th untried seat of the list, skewed over the untried ones, without building a filtered copy.
    let untried = 0;
    for (let i = 0; i < list.length; i++) if (!tried.has(list[i])) untried++;
    if (untried === 0) return null;
    let k = zipfIndex(rng, untried, journey.hotness);
    for (let i = 0; i < list.length; i++) {
      if (tried.has(list[i])) continue;
      if (k === 0) return list[i];
      k--;
    }
    return null;
  }
  const capacity = layoutCapacity(sections);
  const n = journey.hotSeats ? Math.min(journey.hotSeats, capacity) : capacity;
  // Redraw a few times, then walk to the next untried rank: with a skew the same hot seats come up again.
  let rank = zipfIndex(rng, n, journey.hotness);
  for (let i = 0; i < 8; i++) {
    const id = seatAtRank(sections, rank);
    if (!tried.has(id)) return id;
    rank = zipfIndex(rng, n, journey.hotness);
  }
  for (let i = 0; i < n; i++) {
    const id = seatAtRank(sections, (rank + i) % n);
    if (!tried.has(id)) return id;
  }
  return null;
}

/** Jepsen-style outcome of a request as the client saw it: ok (2xx), fail (definite refusal), info (unknown). */
export function outcomeOf(status) {
  if (status >= 200 && status < 300) return "ok";
  if (status >= 400 && status < 500 && status !== 408) return "fail";
  return "info";
}

/** Whether a status is unexpected (an error): 5xx, no response (0), or a 4xx other than 409/410. */
export function isError(status) {
  if (status === 0 || status >= 500) return true;
  return status >= 400 && status !== 409 && status !== 410;
}

/** The acknowledgement record for a hold/confirm/release step and its answer; null for reads. */
export function ackRecord(step, status, body, t) {
  if (!step.op) return null;
  const rec = { op: step.op, type: outcomeOf(status), seatId: step.seatId, userId: step.userId, status: status, t: t };
  const holdId = step.holdId || (body && typeof body.holdId === "string" ? body.holdId : undefined);
  if (holdId) rec.holdId = holdId;
  if (body && typeof body.bookingId === "string") rec.bookingId = body.bookingId;
  return rec;
}

function enc(s) {
  return encodeURIComponent(s);
}

/**
 * One user's journey as a state machine. Call `next()` for the first step, then `next(result)` with the answer
 * to the previous step (`{ status, body }`, status 0 when there was no answer) until it returns null; `outcome`
 * then says how it ended. Every random choice comes from `seed`, so the same seed and answers give the same steps.
 *
 * Buyers read their section's availability (or, when that section is empty, the whole event's), hold a skewed
 * pick, try another seat on 409 up to `holdAttempts` times, then confirm, release or abandon (the hold expires).
 * Browsers read the event summary and a section. Any unexpected answer ends the journey (the user gives up).
 */
export function createJourney(opts) {
  const j = opts.journey;
  const sections = opts.sections;
  const base = `/events/${enc(opts.eventId)}`;
  const userId = opts.userId;
  const rng = createRng(opts.seed);
  // Decisions drawn up front in a fixed order, so the draws do not depend on the answers.
  const browse = rng() < j.browseOnly;
  const section = sections[zipfIndex(rng, sections.length, j.hotness)];
  const confirm = rng() < j.confirmRatio;
  const release = rng() < j.releaseRatio;
  const tried = new Set();
  let state = "start";
  let list = null;
  let attempts = 0;
  let seatId = null;
  let holdId = null;
  let steps = 0;

  const journey = { userId: userId, outcome: null, next: next };

  function step(endpoint, method, path, body, op) {
    const s = {
      endpoint: endpoint,
      method: method,
      path: path,
      body: body === null ? null : JSON.stringify(body),
      thinkMs: steps === 0 ? 0 : j.thinkMs,
      op: op,
      seatId: seatId,
      userId: userId,
      holdId: op === "hold" ? null : holdId,
    };
    steps++;
    return s;
  }

  function end(outcome) {
    journey.outcome = outcome;
    state = "done";
    return null;
  }

  function listStep(sectionId) {
    const q = `?status=available&limit=${LIST_LIMIT}${sectionId ? `&section=${enc(sectionId)}` : ""}`;
    return step("seat-list", "GET", `${base}/seats${q}`, null, undefined);
  }

  function holdStep() {
    seatId = pickSeat(rng, sections, j, list, tried);
    if (seatId === null) return end("gave-up");
    tried.add(seatId);
    attempts++;
    const body = { seatId: seatId, userId: userId, requestId: `${userId}-h${attempts}` };
    return step("hold", "POST", `${base}/holds`, body, "hold");
  }

  function seatsOf(result) {
    // The embedded driver scans the available ids itself (no JSON.parse of the list); k6 passes parsed JSON.
    if (result && Array.isArray(result.seatIds)) return sortBestFirst(sections, result.seatIds);
    const body = result ? result.body : null;
    const seats = body && Array.isArray(body.seats) ? body.seats : [];
    const ids = [];
    for (let i = 0; i < seats.length; i++) {
      if (seats[i] && typeof seats[i].seatId === "string" && seats[i].status === "available") ids.push(seats[i].seatId);
    }
    return sortBestFirst(sections, ids);
  }

  function next(result) {
    const status = result ? result.status : 0;
    const body = result ? result.body : null;
    switch (state) {
      case "start":
        if (browse) {
          state = "browse-summary";
          return step("event-summary", "GET", base, null, undefined);
        }
        if (j.readAvailability) {
          state = "list-section";
          return listStep(section.id);
        }
        state = "hold";
        return holdStep();
      case "browse-summary":
        if (status !== 200) return end("error");
        state = "browse-list";
        return listStep(section.id);
      case "browse-list":
        return end(status === 200 ? "browsed" : "error");
      case "list-section":
      case "list-any":
        if (status !== 200) return end("error");
        list = seatsOf(result);
        if (list.length === 0) {
          if (state === "list-any") return end("sold-out");
          state = "list-any";
          return listStep(null);
        }
        state = "hold";
        return holdStep();
      case "hold":
        if (status === 201 && body && typeof body.holdId === "string") {
          holdId = body.holdId;
          if (confirm) {
            state = "confirm";
            return step(
              "confirm",
              "POST",
              `${base}/holds/${enc(holdId)}/confirm`,
              { requestId: `${userId}-c` },
              "confirm",
            );
          }
          if (release) {
            state = "release";
            return step("release", "DELETE", `${base}/holds/${enc(holdId)}`, null, "release");
          }
          return end("abandoned");
        }
        if (status === 409) return attempts < j.holdAttempts ? holdStep() : end("gave-up");
        return end("error");
      case "confirm":
        if (status === 200) return end("confirmed");
        return end(status === 410 ? "expired" : "error");
      case "release":
        if (status === 204) return end("released");
        return end(status === 410 ? "expired" : "error");
      default:
        return null;
    }
  }

  return journey;
}
