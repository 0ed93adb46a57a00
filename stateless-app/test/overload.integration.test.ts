// Admission control (issue 13): a stateless replica and its load balancer answer excess load with the overload
// 503 and keep serving what they admit. Tiny bounds make a burst of 120 holds excess on any machine.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { floodHolds } from "../../contract/suite/overload.ts";
import { type Stack, startStack } from "../../harness/stack/index.ts";

const BOUNDS = { MAX_IN_FLIGHT: "4", LB_MAXCONN: "2", LB_MAXQUEUE: "1" };

describe("stateless overload: 503 + Retry-After past the bounds, admitted requests served", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({ app: "stateless", nodes: 1, env: BOUNDS });
  });
  after(() => stack?.stop());

  it("the replica sheds past MAX_IN_FLIGHT", async () => {
    const r = await floodHolds({ baseUrl: stack.nodes[0]?.url ?? "", holds: 120 });
    assert.deepEqual([...r.shedBy.keys()], ["too many requests in flight, retry after 1 s"]);
    const metrics = (await (await fetch(`${stack.nodes[0]?.metricsUrl}/metrics`)).json()) as {
      admission: { shed: number; maxInFlight: number; peakInFlight: number };
    };
    assert.equal(metrics.admission.maxInFlight, 4);
    assert.ok(metrics.admission.peakInFlight <= 4);
    assert.ok(metrics.admission.shed >= r.shed);
  });

  it("HAProxy sheds past LB_MAXCONN + LB_MAXQUEUE with the same answer", async () => {
    const r = await floodHolds({ baseUrl: stack.url, holds: 120 });
    assert.ok(r.shedBy.has("the load balancer queue is full, retry after 1 s"), JSON.stringify([...r.shedBy]));
  });
});
