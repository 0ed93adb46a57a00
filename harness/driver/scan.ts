import type { Endpoint, StepResult } from "../../scenarios/journey-logic.js";

/**
 * Reads the few fields a journey needs from an answer's JSON text without parsing it whole: a 4 KB seat list
 * costs ~50 µs to JSON.parse and a few µs to scan. The contract's ids never need escaping (letters, digits and
 * `_.~-`), and the apps write compact JSON (`"key":"value"`), so a field is a plain substring search. When an
 * answer is shaped otherwise (spaces around the colon, say), the reader falls back to JSON.parse: slower, never
 * wrong.
 */

const SEAT_ID = '"seatId":"';
const STATUS = '"status":"';
const AVAILABLE = 'available"';
const AFTER_ID_AVAILABLE = '","status":"available"';

/** The string value of `"key":"..."` in compact JSON; null when the key is absent or not followed by a string. */
export function scanString(text: string, needle: string): string | null {
  const i = text.indexOf(needle);
  if (i < 0) return null;
  const start = i + needle.length;
  const end = text.indexOf('"', start);
  if (end < 0) return null;
  const v = text.slice(start, end);
  return v.includes("\\") ? null : v;
}

/** The number value of `"key":123` in compact JSON; null when absent. */
export function scanNumber(text: string, needle: string): number | null {
  const i = text.indexOf(needle);
  if (i < 0) return null;
  let end = i + needle.length;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if ((c < 48 || c > 57) && c !== 46 && c !== 45 && c !== 101 && c !== 69 && c !== 43) break;
    end++;
  }
  const n = Number(text.slice(i + needle.length, end));
  return end > i + needle.length && Number.isFinite(n) ? n : null;
}

function parse(text: string): unknown {
  if (text.length === 0 || text.charCodeAt(0) !== 123 /* { */) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The API error code of an error answer: `{"error":{"code":"..."}}`, or `{"error":"overloaded"}` (a 503). */
export function errorCode(text: string): string | null {
  if (text.length === 0 || text.charCodeAt(0) !== 123) return null;
  const code = scanString(text, '"code":"') ?? scanString(text, '"error":"');
  if (code !== null) return code;
  const b = parse(text) as { error?: { code?: unknown } | string } | null;
  const e = b?.error;
  if (typeof e === "string") return e;
  return typeof e?.code === "string" ? e.code : null;
}

/** Available seat ids of a seat list, in listed order; null when the text is not a compact seat list. */
export function scanAvailableSeats(text: string): string[] | null {
  const ids: string[] = [];
  let i = text.indexOf(SEAT_ID);
  if (i < 0) return text.includes('"seats":[]') ? ids : null;
  while (i >= 0) {
    const start = i + SEAT_ID.length;
    const end = text.indexOf('"', start);
    if (end < 0) return null;
    // The apps write `{"seatId":"...","status":"..."}`: the status right after the id is the fast path.
    if (text.startsWith(AFTER_ID_AVAILABLE, end)) {
      ids.push(text.slice(start, end));
      i = text.indexOf(SEAT_ID, end + AFTER_ID_AVAILABLE.length);
      continue;
    }
    // Otherwise the status sits elsewhere between this flat object's braces.
    const open = text.lastIndexOf("{", i);
    const close = text.indexOf("}", end);
    if (open < 0 || close < 0) return null;
    const st = text.indexOf(STATUS, open);
    if (st < 0 || st > close) return null;
    if (text.startsWith(AVAILABLE, st + STATUS.length)) ids.push(text.slice(start, end));
    i = text.indexOf(SEAT_ID, close);
  }
  return ids;
}

/**
 * What the journey logic and the driver read from a 2xx answer, per endpoint: the seat list's available ids,
 * a hold's id, a confirmation's booking id, the summary's sold/capacity. Other answers carry no body fields the
 * journey uses (error answers end it on their status).
 */
export function readAnswer(endpoint: Endpoint, status: number, text: string): StepResult {
  if (status < 200 || status >= 300 || text.length === 0) return { status, body: null };
  switch (endpoint) {
    case "seat-list": {
      const seatIds = scanAvailableSeats(text);
      if (seatIds) return { status, body: null, seatIds };
      return { status, body: parse(text) };
    }
    case "hold": {
      const holdId = scanString(text, '"holdId":"');
      return holdId !== null ? { status, body: { holdId } } : { status, body: parse(text) };
    }
    case "confirm": {
      const bookingId = scanString(text, '"bookingId":"');
      return bookingId !== null ? { status, body: { bookingId } } : { status, body: parse(text) };
    }
    case "event-summary": {
      const sold = scanNumber(text, '"sold":');
      const capacity = scanNumber(text, '"capacity":');
      return sold !== null ? { status, body: { sold, capacity } } : { status, body: parse(text) };
    }
    default:
      return { status, body: null };
  }
}
