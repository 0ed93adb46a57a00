import type { Context } from "hono";
import { limitBodyByLength } from "../../contract/body-limit.ts";
import { ApiError, errorBody, LIMITS } from "../../contract/index.ts";

/**
 * Refuses bodies over 64 KiB with 413 in the error shape, on every route (GET and DELETE included): by
 * Content-Length when there is one, else counted as the body streams (chunked). The contract's shared check.
 */
export const limitBody = limitBodyByLength({
  maxSize: LIMITS.maxBodyBytes,
  onTooLarge: (c) => c.json(errorBody("payload_too_large", `body over ${LIMITS.maxBodyBytes} bytes`), 413),
});

/** The client went away before its request body arrived: its own doing, not a server fault (no 500, no error log). */
export class ClientAbortedError extends Error {
  constructor(cause: unknown) {
    super(`client closed the connection before its request body arrived (${(cause as Error)?.message ?? cause})`);
    this.name = "ClientAbortedError";
  }
}

type Incoming = { aborted?: boolean; destroyed?: boolean; complete?: boolean };

/** True when the client's side of the request is gone (Node's IncomingMessage, under `@hono/node-server`). */
function clientGone(c: Context): boolean {
  const incoming = (c.env as { incoming?: Incoming } | undefined)?.incoming;
  return incoming !== undefined && (incoming.aborted === true || (incoming.destroyed === true && !incoming.complete));
}

/**
 * The request body as JSON; malformed JSON is a 400 naming `body`. `optional` bodies (confirm) may be empty,
 * which reads as `{}`. Returns the raw text too, for forwarding in a cluster.
 */
export async function readJson(c: Context, optional = false): Promise<{ json: unknown; text: string }> {
  let text: string;
  try {
    text = await c.req.text();
  } catch (err) {
    if (clientGone(c)) throw new ClientAbortedError(err);
    throw err;
  }
  if (optional && text.trim() === "") return { json: {}, text };
  try {
    return { json: JSON.parse(text), text };
  } catch {
    throw new ApiError("invalid_request", "body: malformed JSON", "body");
  }
}
