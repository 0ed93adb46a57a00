import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Hono } from "hono";
import pino from "pino";
import { OVERLOADED } from "../../contract/admission.ts";
import { MailboxFullError } from "../runtime/index.ts";
import { errorHandler, httpErrorCounters } from "./errors.ts";

describe("errorHandler", () => {
  it("answers a full mailbox with the overload 503 (Retry-After: 1), not a 500", async () => {
    const counters = httpErrorCounters();
    const app = new Hono();
    app.post("/x", () => {
      throw new MailboxFullError("seat|ev/A-1", 3);
    });
    app.onError(errorHandler(pino({ level: "silent" }), counters));
    const res = await app.request("/x", { method: "POST" });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "1");
    assert.deepEqual(await res.json(), OVERLOADED.body);
    assert.equal(counters.serverErrors, 0);
  });
});
