// One `toISOString` per second instead of one per reply: every hold answer carries its expiry as an ISO string.
let cachedSecond = Number.NaN;
let cachedPrefix = "";

/** `new Date(ms).toISOString()`, from a cached `YYYY-MM-DDTHH:MM:SS.` prefix for integer ms of years 1970-9999. */
export function isoTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > 253_402_300_799_999) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    cachedSecond = second;
  }
  const milli = ms - second * 1000;
  return `${cachedPrefix}${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}
