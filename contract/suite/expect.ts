import assert from "node:assert/strict";
import type { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "../errors.ts";
import { ErrorResponse } from "../schemas.ts";
import { describeReply, type Reply } from "./client.ts";

/** Generated ids (holdId, bookingId) are app-chosen but URL-safe and bounded. */
export { GENERATED_ID } from "../ids.ts";

function expectJson(reply: Reply): void {
  const type = String(reply.headers["content-type"] ?? "");
  assert.ok(type.includes("application/json"), `expected a JSON content-type: ${type} (${describeReply(reply)})`);
  assert.notEqual(reply.json, undefined, `expected a JSON body: ${describeReply(reply)}`);
}

/** Asserts the status and that the body matches `schema`; returns the parsed body. */
export function expectOk<S extends z.ZodType>(reply: Reply, status: number, schema: S): z.output<S> {
  assert.equal(reply.status, status, `expected ${status}: ${describeReply(reply)}`);
  expectJson(reply);
  const parsed = schema.safeParse(reply.json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    assert.fail(`body does not match the contract (${issues}): ${describeReply(reply)}`);
  }
  return parsed.data;
}

/** Asserts a 204 with an empty body. */
export function expectNoContent(reply: Reply): void {
  assert.equal(reply.status, 204, `expected 204: ${describeReply(reply)}`);
  assert.equal(reply.text, "", `a 204 has no body: ${describeReply(reply)}`);
}

/**
 * Asserts the error shape `{ error: { code, message, field? } }`, the status of `code`, and, when `field` is given,
 * that `error.field` names it. `field: undefined` leaves the field unchecked.
 */
export function expectError(reply: Reply, code: ErrorCode, field?: string): void {
  assert.equal(reply.status, ERROR_STATUS[code], `expected ${ERROR_STATUS[code]} ${code}: ${describeReply(reply)}`);
  expectJson(reply);
  const parsed = ErrorResponse.safeParse(reply.json);
  assert.ok(parsed.success, `not the error shape { error: { code, message } }: ${describeReply(reply)}`);
  const { error } = parsed.data;
  assert.equal(error.code, code, `expected code ${code}: ${describeReply(reply)}`);
  assert.ok(error.message.length > 0, `error.message is empty: ${describeReply(reply)}`);
  if (field !== undefined) assert.equal(error.field, field, `expected error.field ${field}: ${describeReply(reply)}`);
}
