import type { z } from "zod";
import { ApiError } from "./errors.ts";
import { GENERATED_ID, ID_PATTERN } from "./ids.ts";

/** Parses `input` with `schema` or throws a 400 `ApiError` naming the first offending field (`sections.0.seats`). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, where = "body"): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // zod reports an unknown key at its parent's path; the contract names the unknown key itself (`sections.0.x`).
  const path =
    issue?.code === "unrecognized_keys" && issue.keys[0] ? [...issue.path, issue.keys[0]] : (issue?.path ?? []);
  const field = path.length > 0 ? path.join(".") : where;
  throw new ApiError("invalid_request", `${field}: ${issue?.message ?? "invalid"}`, field);
}

/** Checks a path parameter (`eventId`, `holdId`, ...) against the id pattern. */
export function checkId(value: string, field: string): string {
  if (!ID_PATTERN.test(value)) throw new ApiError("invalid_request", `${field}: must match [A-Za-z0-9_-]{1,64}`, field);
  return value;
}

/** Checks a generated id in the path (`holdId`, `bookingId`) against its pattern: 400 naming it otherwise. */
export function checkGeneratedId(value: string, field: string): string {
  if (!GENERATED_ID.test(value))
    throw new ApiError("invalid_request", `${field}: must match [A-Za-z0-9_.~-]{1,200}`, field);
  return value;
}
