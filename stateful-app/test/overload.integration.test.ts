// Admission control (issue 13): a stateful node (clustered, as the bench runs it) and its load balancer answer
// excess load with the overload 503 and keep serving what they admit; so does a hot actor's full mailbox.
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

describe("stateful overload: a section actor's full mailbox sheds", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      app: "stateful",
      nodes: 1,
      granularity: "section",
      // Idle actors passivate fast, so the flood meets an activation still reading its journal: the one moment an
      // actor's mailbox fills (a running actor takes each command as it arrives).
      env: { CLUSTER: "off", MAX_IN_FLIGHT: "0", MAILBOX_MAX: "3", IDLE_MS: "200" },
    });
  });
  after(() => stack?.stop());

  it("holds past MAILBOX_MAX on one section are answered 503 overloaded; the rest are served", async () => {
    const url = stack.nodes[0]?.url ?? "";
    await floodHolds({
      baseUrl: url,
      holds: 120,
      async prepare(eventId, spareSeat) {
        const body = JSON.stringify({ seatId: spareSeat, userId: "first", requestId: "r" });
        const res = await fetch(`${url}/events/${eventId}/holds`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        assert.equal(res.status, 201);
        // Confirmed, so no expiry timer keeps the actor active.
        const { holdId } = (await res.json()) as { holdId: string };
        const confirm = await fetch(`${url}/events/${eventId}/holds/${encodeURIComponent(holdId)}/confirm`, {
          method: "POST",
        });
        assert.equal(confirm.status, 200);
        await new Promise((r) => setTimeout(r, 800));
      },
    });
    const metrics = (await (await fetch(`${url}/metrics`)).json()) as {
      admission: { shed: number; mailboxShed: number; mailboxMax: number };
      runtime: { passivations: number };
    };
    assert.ok(metrics.runtime.passivations > 0, "the section actor was never passivated");
    assert.equal(metrics.admission.mailboxMax, 3);
    assert.equal(metrics.admission.shed, 0, "the in-flight bound is off");
    assert.ok(metrics.admission.mailboxShed > 0);
  });
});
