import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_ADMISSION, haproxyConfig, lbAdmissionFromEnv } from "./haproxy-config.ts";

const base = { port: 1, socketPath: "/tmp/x.sock", slots: 2, threads: 1, balance: "roundrobin" as const };

describe("HAProxy admission control", () => {
  it("reads LB_MAXCONN, LB_MAXQUEUE and LB_TIMEOUT_QUEUE_MS, defaults for the rest", () => {
    assert.deepEqual(lbAdmissionFromEnv({}), DEFAULT_ADMISSION);
    assert.deepEqual(lbAdmissionFromEnv({ LB_MAXCONN: "8", LB_TIMEOUT_QUEUE_MS: "50", OTHER: "x" }), {
      ...DEFAULT_ADMISSION,
      maxconn: 8,
      timeoutQueueMs: 50,
    });
  });

  it("names the variable of a bad value", () => {
    assert.throws(() => lbAdmissionFromEnv({ LB_MAXQUEUE: "-1" }), /--app-env LB_MAXQUEUE: expected an integer/);
    assert.throws(() => lbAdmissionFromEnv({ LB_TIMEOUT_QUEUE_MS: "0" }), /LB_TIMEOUT_QUEUE_MS/);
    assert.throws(() => lbAdmissionFromEnv({ LB_MAXCONN: "1e3" }), /LB_MAXCONN/);
  });

  it("bounds each server and the queue, answering the overload 503 with Retry-After", () => {
    const cfg = haproxyConfig({ ...base, admission: { maxconn: 7, maxqueue: 3, timeoutQueueMs: 40 } });
    assert.match(cfg, /default-server .* maxconn 7\n/);
    assert.match(cfg, /timeout queue 40ms\n/);
    assert.match(
      cfg,
      /http-request return status 503 .*"error":"overloaded".* hdr retry-after 1 if \{ avg_queue\(app\) ge 3 \}/,
    );
    assert.match(cfg, /http-error status 503 content-type application\/json string '\{"error":"overloaded"/);
  });

  it("LB_MAXCONN=0 leaves the servers unbounded and nothing queued to shed", () => {
    const cfg = haproxyConfig({ ...base, admission: { maxconn: 0, maxqueue: 3, timeoutQueueMs: 40 } });
    assert.doesNotMatch(cfg, /maxconn/);
    assert.doesNotMatch(cfg, /avg_queue/);
  });
});
