import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseBenchOptions } from "./options.ts";

describe("bench options", () => {
  it("defaults to both apps, the default profile and safe app modes", () => {
    const o = parseBenchOptions([], new Date("2026-01-02T03:04:05Z"));
    assert.deepEqual(o.apps, ["stateless", "stateful"]);
    assert.equal(o.profile, "default");
    assert.equal(o.writeMode, "queue");
    assert.equal(o.persistence, "sync");
    assert.equal(o.runId, "2026-01-02_03-04-05");
    assert.equal(o.rttMs, 0.5);
    assert.equal(parseBenchOptions(["--rtt-ms", "0"]).rttMs, 0);
    assert.equal(parseBenchOptions(["--rtt-ms", "2.5"]).rttMs, 2.5);
  });

  it("--driver both runs the embedded driver, then k6 for agreement; --k6-dashboard asks k6 for its HTML", () => {
    const o = parseBenchOptions(["--driver", "both", "--k6-dashboard"]);
    assert.equal(o.driver, "embedded");
    assert.equal(o.agreement, true);
    assert.equal(o.k6Dashboard, true);
    const k = parseBenchOptions(["--driver", "k6"]);
    assert.equal(k.agreement, false);
    assert.equal(k.k6Dashboard, false);
    assert.throws(() => parseBenchOptions(["--driver", "wrk"]), /--driver: expected one of embedded, k6, both/);
  });

  it("parses knobs and thresholds", () => {
    const o = parseBenchOptions(["--app", "stateful", "--rate", "400", "--node-cpu", "0.5", "--threshold", "p99<250"]);
    assert.deepEqual(o.apps, ["stateful"]);
    assert.equal(o.rate, 400);
    assert.equal(o.nodeCpu, 0.5);
    assert.equal(o.thresholds[0]?.metric, "p99");
    assert.deepEqual(parseBenchOptions(["--app-env", "JOURNAL_WINDOW_MS=200"]).appEnv, { JOURNAL_WINDOW_MS: "200" });
  });

  it("names the flag in every error", () => {
    assert.throws(() => parseBenchOptions(["--rate=-3"]), /--rate: expected a positive number/);
    assert.throws(() => parseBenchOptions(["--nodes", "1.5"]), /--nodes: expected a positive integer/);
    assert.throws(() => parseBenchOptions(["--app", "both-ways"]), /--app: expected one of/);
    assert.throws(() => parseBenchOptions(["--bogus"]), /bogus/);
    assert.throws(() => parseBenchOptions(["--app-env", "lower=1"]), /--app-env: expected KEY=VALUE/);
    assert.throws(
      () => parseBenchOptions(["--app-env", "LB_MAXCONN=lots"]),
      /--app-env LB_MAXCONN: expected an integer/,
    );
    assert.throws(() => parseBenchOptions(["--target", "http://x:1"]), /--target: name the app/);
    for (const bad of ["-1", "fast", "", "5000"])
      assert.throws(() => parseBenchOptions([`--rtt-ms=${bad}`]), /--rtt-ms: expected a round-trip time/, bad);
  });

  it("--hosts netns and --target remote with its URLs; each mistake names its flag", () => {
    assert.equal(parseBenchOptions([]).hosts, "local");
    assert.equal(parseBenchOptions(["--hosts", "netns"]).hosts, "netns");
    assert.throws(() => parseBenchOptions(["--hosts", "vm"]), /--hosts: expected one of local, netns/);
    assert.throws(() => parseBenchOptions(["--hosts", "netns", "--driver", "k6"]), /--hosts netns: .*--driver k6/);
    const remote = parseBenchOptions([
      "--app",
      "stateful",
      "--target",
      "remote",
      "--lb-url",
      "http://10.0.0.1:8080",
      "--database-url",
      "postgres://u:p@10.0.0.2:5432/statebench",
      "--node-url",
      "a=http://10.0.0.3:3000",
      "--node-url",
      "http://10.0.0.4:3000",
    ]);
    assert.deepEqual(remote.target, {
      lb: "http://10.0.0.1:8080",
      databaseUrl: "postgres://u:p@10.0.0.2:5432/statebench",
      redisUrl: process.env.REDIS_URL ?? null,
      nodes: { a: "http://10.0.0.3:3000", "node-2": "http://10.0.0.4:3000" },
    });
    assert.equal(parseBenchOptions(["--app", "stateful", "--target", "http://x:1"]).target?.lb, "http://x:1");
    const r = ["--app", "stateless", "--target", "remote"];
    assert.throws(() => parseBenchOptions(r), /--target remote: --lb-url URL is required/);
    assert.throws(() => parseBenchOptions([...r, "--lb-url", "x"]), /--lb-url: expected a URL/);
    assert.throws(
      () => parseBenchOptions([...r, "--lb-url", "http://x", "--redis-url", "http://x"]),
      /--redis-url: expected a redis/,
    );
    assert.throws(() => parseBenchOptions(["--lb-url", "http://x"]), /--lb-url: only with --target remote/);
    assert.throws(
      () => parseBenchOptions([...r, "--lb-url", "http://x", "--hosts", "netns"]),
      /--hosts netns: starts its own/,
    );
  });
});
