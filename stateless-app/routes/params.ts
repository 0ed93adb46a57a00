import type { Context } from "hono";
import { checkGeneratedId, checkId } from "../../contract/index.ts";

/** The `eventId` path parameter, checked against the id pattern (400 naming `eventId`). */
export function eventIdParam(c: Context): string {
  return checkId(c.req.param("eventId") ?? "", "eventId");
}

/** A generated-id path parameter (`holdId`, `bookingId`): URL-safe, at most 200 characters, else 400. */
export function generatedIdParam(c: Context, name: "holdId" | "bookingId"): string {
  return checkGeneratedId(c.req.param(name) ?? "", name);
}
