/** Client-chosen ids (event, section, user, request): letters, digits, `_` and `-`, 1 to 64 characters. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** App-generated ids (holdId, bookingId): URL-safe, 1 to 200 characters, so an app may encode routing in them. */
export const GENERATED_ID = /^[A-Za-z0-9_.~-]{1,200}$/;

/** Seat ids are `<section>-<n>` with n = 1..seats of that section. */
export function seatId(sectionId: string, n: number): string {
  return `${sectionId}-${n}`;
}

/** Splits a seat id at its last `-`; undefined when it is not `<section>-<positive integer>`. */
export function parseSeatId(id: string): { sectionId: string; n: number } | undefined {
  const dash = id.lastIndexOf("-");
  if (dash <= 0) return undefined;
  const digits = id.slice(dash + 1);
  if (!/^[1-9][0-9]{0,6}$/.test(digits)) return undefined;
  return { sectionId: id.slice(0, dash), n: Number(digits) };
}
