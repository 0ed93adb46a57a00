import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type Stack, startStack } from "../../harness/stack/index.ts";
import { createEvent, Http, SINGLE_NODE } from "./http.ts";

interface HttpCounters {
  http: { serverErrors: number; clientAborts: number };
}

/** Sends the head of a request and part of its body straight to the node, then hangs up mid-body. */
async function abortMidBody(url: string, path: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n` +
      `{"seatId":"A-1",`,
  );
  // Long enough for the node to be waiting for the rest of the body.
  await sleep(200);
  socket.destroy();
}

/** Error-level (pino level >= 50) records of a node's log. */
function errorRecords(logFile: string): string[] {
  return readFileSync(logFile, "utf8")
    .split("\n")
    .filter((line) => /"level":(5|6)\d/.test(line));
}

// A client that gives up mid-request (a load generator's timeout, a closed browser tab) is not a server fault:
// the node counts it apart from its 500s and does not log it as an error.
for (const [name, env] of [
  ["single node", SINGLE_NODE],
  ["clustered node", {}],
] as const) {
  describe(`client aborts mid-request (${name})`, () => {
    let stack: Stack;
    let direct: Http;
    let metrics: Http;
    before(async () => {
      stack = await startStack({ app: "stateful", nodes: 1, env });
      direct = new Http(stack.nodes[0]?.url ?? "");
      metrics = new Http(stack.nodes[0]?.metricsUrl ?? "");
    });
    after(async () => {
      await direct?.close();
      await metrics?.close();
      await stack?.stop();
    });

    it("is neither a 500 nor an error in the log, and the node goes on serving", async () => {
      const node = stack.nodes[0];
      assert.ok(node);
      const eventId = await createEvent(direct, 10);
      await abortMidBody(node.url, `/events/${eventId}/holds`);
      await abortMidBody(node.url, `/events/${eventId}/holds/A-1.x/confirm`);
      let counters: HttpCounters["http"] = { serverErrors: 0, clientAborts: 0 };
      for (let i = 0; i < 50 && counters.clientAborts < 2; i++) {
        counters = ((await metrics.send("GET", "/metrics")).json as HttpCounters).http;
        await sleep(50);
      }
      assert.deepEqual(counters, { serverErrors: 0, clientAborts: 2 });
      assert.deepEqual(errorRecords(join(stack.runDir, "logs", `${node.id}.log`)), []);
      const hold = await direct.send("POST", `/events/${eventId}/holds`, {
        seatId: "A-1",
        userId: "u",
        requestId: "r",
      });
      assert.equal(hold.status, 201);
    });
  });
}
