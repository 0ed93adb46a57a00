// Admission control (issue 13): a stateful node (clustered, as the bench runs it) and its load balancer answer
// excess load with the overload 503 and keep serving what they admit. The mailbox bound (MAILBOX_MAX) is checked in
// runtime/actor-system.test.ts and http/errors.test.ts: a running actor takes each command as it arrives, so over
// HTTP its mailbox fills only during an activation's journal read, too short to hit reliably.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { floodHolds } from "../../contract/suite/overload.ts";
import { type Stack, startStack } from "../../harness/stack/index.ts";

describe("stateful overload: 503 + Retry-After past the bounds, admitted requests served", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      app: "stateful",
      nodes: 1,
      env: { MAX_IN_FLIGHT: "4", LB_MAXCONN: "2", LB_MAXQUEUE: "1" },
    });
  });
  after(() => stack?.stop());

  it("the node sheds past MAX_IN_FLIGHT", async () => {
    const r = await floodHolds({ baseUrl: stack.nodes[0]?.url ?? "", holds: 120 });
    assert.deepEqual([...r.shedBy.keys()], ["too many requests in flight, retry after 1 s"]);
  });

  it("HAProxy sheds past LB_MAXCONN + LB_MAXQUEUE, owner routing intact", async () => {
    const r = await floodHolds({ baseUrl: stack.url, holds: 120 });
    assert.ok(r.shedBy.has("the load balancer queue is full, retry after 1 s"), JSON.stringify([...r.shedBy]));
  });
});
