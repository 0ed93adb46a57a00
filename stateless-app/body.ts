import type { Context } from "hono";
import { ApiError } from "../contract/index.ts";

/**
 * Reads the JSON body (already size-checked by `hono/body-limit`). Malformed JSON is a 400 naming `body`;
 * an empty body is `undefined` when `optional`, else a 400 too.
 */
export async function readJson(c: Context, optional = false): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") {
    if (optional) return undefined;
    throw new ApiError("invalid_request", "body: a JSON body is required", "body");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_request", "body: malformed JSON", "body");
  }
}
