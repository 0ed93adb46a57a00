import type { Context } from "hono";
import { ApiError, checkId } from "../../contract/index.ts";
import { GENERATED_ID } from "../ids.ts";

/** The `eventId` path parameter, checked against the id pattern (400 naming `eventId`). */
export function eventIdParam(c: Context): string {
  return checkId(c.req.param("eventId") ?? "", "eventId");
}

/** A generated-id path parameter (`holdId`, `bookingId`): URL-safe, at most 200 characters, else 400. */
export function generatedIdParam(c: Context, name: "holdId" | "bookingId"): string {
  const value = c.req.param(name) ?? "";
  if (!GENERATED_ID.test(value))
    throw new ApiError("invalid_request", `${name}: must match [A-Za-z0-9_.~-]{1,200}`, name);
  return value;
}
