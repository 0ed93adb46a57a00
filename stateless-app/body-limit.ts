import type { MiddlewareHandler } from "hono";
import { limitBodyByLength } from "../contract/body-limit.ts";
import { tooLarge } from "./errors.ts";

/** 413 for bodies over `maxSize` on every route: the contract's shared Content-Length check (see there). */
export function limitBody(maxSize: number): MiddlewareHandler {
  return limitBodyByLength({ maxSize, onTooLarge: tooLarge });
}
