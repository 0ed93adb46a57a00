import type { Context } from "hono";
import type { Logger } from "pino";
import { overloadedResponse } from "../../contract/admission.ts";
import { ApiError, errorBody } from "../../contract/index.ts";
import { isRetriable, MailboxFullError, ShardNotLocalError } from "../runtime/index.ts";
import { ClientAbortedError } from "./body.ts";

/** A 503 `unavailable` with Retry-After (whole seconds, at least 1): the contract's one retriable answer. */
export function unavailable(c: Context, retryAfterMs: number, message: string): Response {
  c.header("Retry-After", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return c.json(errorBody("unavailable", message), 503);
}

/** What the error handler counts, for `/metrics`. */
export interface HttpErrorCounters {
  /** 500s: a fault of this server. */
  serverErrors: number;
  /** Requests whose client went away mid-request (answered 400, never seen by anyone). */
  clientAborts: number;
}

export function httpErrorCounters(): HttpErrorCounters {
  return { serverErrors: 0, clientAborts: 0 };
}

/**
 * Maps what a handler threw to the contract's error shape: `ApiError` as is, a full mailbox to the overload 503
 * (`contract/admission.ts`), runtime errors after which a retry
 * is safe (stale actor, shard moved, shutdown) to 503, a client that hung up mid-body to a 400 logged at debug
 * level (its doing, not the server's), anything else to a logged 500.
 */
export function errorHandler(logger: Logger, counters: HttpErrorCounters = httpErrorCounters()) {
  return (err: Error, c: Context): Response => {
    if (err instanceof ApiError) return c.json(err.toBody(), err.status as 400);
    // Counted by the actor system (`runtime.mailboxFull`).
    if (err instanceof MailboxFullError) return overloadedResponse();
    if (isRetriable(err)) {
      return unavailable(c, err instanceof ShardNotLocalError ? err.retryAfterMs : 200, err.message);
    }
    if (err instanceof ClientAbortedError) {
      counters.clientAborts++;
      logger.debug({ path: c.req.path, err: err.message }, "client aborted the request");
      return c.json(errorBody("invalid_request", "body: the client closed the connection mid-request", "body"), 400);
    }
    counters.serverErrors++;
    logger.error({ err, path: c.req.path }, "request failed");
    return c.json(errorBody("internal", "internal error"), 500);
  };
}
