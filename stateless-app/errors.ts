import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { ApiError, errorBody } from "../contract/index.ts";
import type { Logger } from "./log.ts";

const INFRA_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTCONN",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "08000",
  "08001",
  "08003",
  "08006",
]);
const INFRA_MESSAGES =
  /Connection is closed|Connection terminated|timeout exceeded when trying to connect|Stream isn't writeable|MaxRetriesPerRequest|Client was closed/i;

/** True for errors that mean PostgreSQL or Redis is unreachable or overloaded: the client should retry. */
export function isInfraError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (typeof code === "string" && INFRA_CODES.has(code)) || INFRA_MESSAGES.test(`${err.name} ${err.message}`);
}

function send(c: Context, err: ApiError): Response {
  if (err.code === "unavailable") c.header("Retry-After", "1");
  return c.json(err.toBody(), err.status as 400);
}

/** Maps thrown errors to the contract's error shape: ApiError as is, infrastructure trouble as 503, the rest 500. */
export function onError(log: Logger): ErrorHandler {
  return (err, c) => {
    if (err instanceof ApiError) return send(c, err);
    // hono/http-exception (e.g. from middleware) carries its own status.
    const status = (err as { status?: unknown }).status;
    if (status === 413) return send(c, new ApiError("payload_too_large", "body larger than 64 KiB"));
    if (isInfraError(err)) {
      log.warn({ err: err.message }, "infrastructure unavailable");
      return send(c, new ApiError("unavailable", "storage temporarily unavailable, retry"));
    }
    log.error({ err }, "unhandled error");
    return c.json(errorBody("internal", "internal error"), 500);
  };
}

export const notFound: NotFoundHandler = (c) =>
  c.json(errorBody("not_found", `no route ${c.req.method} ${c.req.path}`), 404);

/** The 413 answer of `hono/body-limit`. */
export function tooLarge(c: Context): Response {
  return send(c, new ApiError("payload_too_large", "body larger than 64 KiB"));
}
