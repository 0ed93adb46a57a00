import type { Context, MiddlewareHandler } from "hono";
import { errorBody } from "./errors.ts";

type NodeHeaders = Record<string, string | string[] | undefined>;

/** Node's parsed request headers under `@hono/node-server` (`c.env.incoming`), else undefined (`app.request()`). */
function nodeHeaders(c: Context): NodeHeaders | undefined {
  return (c.env as { incoming?: { headers?: NodeHeaders } } | undefined)?.incoming?.headers;
}

/**
 * True for `application/json` and the `+json` suffix types, with or without parameters (`; charset=utf-8`),
 * case-insensitively (RFC 9110: media types are case-insensitive).
 */
export function isJsonMediaType(value: string): boolean {
  const semi = value.indexOf(";");
  const type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** The 415 answer both apps give: the error shape, naming the header. */
export function unsupportedMediaType(c: Context, got: string | undefined): Response {
  const message =
    got === undefined
      ? "content-type: a request body must be sent as application/json (the header is missing)"
      : `content-type: expected application/json, got ${JSON.stringify(got.slice(0, 100))}`;
  return c.json(errorBody("unsupported_media_type", message, "content-type"), 415);
}

/**
 * 415 `unsupported_media_type` naming `content-type` for a PUT or POST that carries a body sent as anything but
 * JSON (or with no Content-Type at all), on every route, before the body is read. Off loopback, parsing any body
 * as JSON whatever it claims to be lets a plain HTML form (`text/plain`, no CORS preflight) write to the API.
 * Bodiless requests (a confirm without a body) need no header. Mounted after the body limit (413 first).
 * Headers come from Node's own parsed headers where there are some, as in `limitBodyByLength` (building a web
 * `Headers` costs CPU on the hot path).
 */
export function requireJsonBody(): MiddlewareHandler {
  return async function requireJson(c, next) {
    const method = c.req.method;
    if (method !== "PUT" && method !== "POST") return next();
    const node = nodeHeaders(c);
    const type = node === undefined ? c.req.header("content-type") : (node["content-type"] as string | undefined);
    if (type !== undefined && isJsonMediaType(type)) return next();
    const length = node === undefined ? c.req.header("content-length") : (node["content-length"] as string);
    const chunked = node === undefined ? c.req.header("transfer-encoding") !== undefined : "transfer-encoding" in node;
    const hasBody = chunked || (length !== undefined && Number(length) > 0);
    // Web Requests in tests (`app.request()`) may carry a body without Content-Length.
    const webBody = node === undefined && !chunked && length === undefined && c.req.raw.body !== null;
    if (!hasBody && !webBody) return next();
    return unsupportedMediaType(c, type);
  };
}
