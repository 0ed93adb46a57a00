import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError, errorBody, LIMITS } from "../../contract/index.ts";

/** Refuses bodies over 64 KiB (counted also without Content-Length) with 413 in the error shape. */
export const limitBody = bodyLimit({
  maxSize: LIMITS.maxBodyBytes,
  onError: (c) => c.json(errorBody("payload_too_large", `body over ${LIMITS.maxBodyBytes} bytes`), 413),
});

/**
 * The request body as JSON; malformed JSON is a 400 naming `body`. `optional` bodies (confirm) may be empty,
 * which reads as `{}`. Returns the raw text too, for forwarding in a cluster.
 */
export async function readJson(c: Context, optional = false): Promise<{ json: unknown; text: string }> {
  const text = await c.req.text();
  if (optional && text.trim() === "") return { json: {}, text };
  try {
    return { json: JSON.parse(text), text };
  } catch {
    throw new ApiError("invalid_request", "body: malformed JSON", "body");
  }
}
