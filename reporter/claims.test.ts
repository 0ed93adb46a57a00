import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { AppName, AppRunSummary, RunSummary, TimeSeries } from "../harness/results/types.ts";
import { FIXTURES } from "../test/fixtures/index.ts";
import {
  ADDED_NODE_BUSY_PCT,
  type ClaimRun,
  type ClaimVerdict,
  evaluateClaims,
  FAILOVER_MAX_ERROR_RATE,
  joinGain,
  MASSIVE_FACTOR,
} from "./claims.ts";
import { CLAIMS, type ClaimId } from "./claims-catalog.ts";

const load = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as RunSummary;
const base = load(FIXTURES.small);

/** A fixture result as a fresh, editable copy. */
function result(app: AppName, scenario = "flash-sale"): AppRunSummary {
  const r =
    base.results.find((x) => x.app === app && x.scenario === scenario) ?? base.results.find((x) => x.app === app);
  assert.ok(r, `fixture has a ${app} result`);
  return structuredClone({ ...r, scenario });
}

function verdict(id: ClaimId, runs: ClaimRun[]): ClaimVerdict {
  const c = evaluateClaims(runs).find((x) => x.claim.id === id);
  assert.ok(c);
  assert.ok(c.evidence.length > 0, `${id} gives evidence`);
  return c.verdict;
}

const run = (results: AppRunSummary[], series?: Map<string, TimeSeries>, runId = "run-1"): ClaimRun => ({
  runId,
  results,
  series,
});
const kill = { atS: 10, action: "kill-node", detail: "SIGKILL node-2 (pid 1)" };
const join_ = { atS: 10, action: "add-nodes", detail: "started node-3, node-4; ready after 1 s" };

test("every claim is judged, once, with its quote and source", () => {
  const claims = evaluateClaims([run(base.results)]);
  assert.deepEqual(
    claims.map((c) => c.claim.id),
    CLAIMS.map((c) => c.id),
  );
  for (const c of claims) {
    assert.ok(c.claim.quote.length > 20 && c.claim.source.seed && c.claim.rule);
    assert.ok(["supported", "contradicted", "not-measured"].includes(c.verdict));
  }
  assert.ok(
    evaluateClaims([run([])]).every((c) => c.verdict === "not-measured"),
    "an empty run measures nothing",
  );
});

describe("a stateful middle tier massively improves performance", () => {
  test(`supported when stateful is ≥ ${MASSIVE_FACTOR}× better in p99 and keeps up`, () => {
    const [sl, sf] = [result("stateless"), result("stateful")];
    sf.latency.p99 = sl.latency.p99 / (MASSIVE_FACTOR + 0.5);
    sf.throughput.bookingsPerS = sl.throughput.bookingsPerS;
    assert.equal(verdict("stateful-faster", [run([sl, sf])]), "supported");
  });
  test("contradicted when the gain is below the factor in both latency and CPU", () => {
    const [sl, sf] = [result("stateless"), result("stateful")];
    sf.latency.p99 = sl.latency.p99 / 1.5;
    sf.cpu.secondsPer1kBookings = (sl.cpu.secondsPer1kBookings ?? 1) / 1.5;
    assert.equal(verdict("stateful-faster", [run([sl, sf])]), "contradicted");
  });
  test("contradicted when stateful confirms fewer bookings or fails its audit", () => {
    const [sl, sf] = [result("stateless"), result("stateful")];
    sf.latency.p99 = sl.latency.p99 / 10;
    sf.throughput.bookingsPerS = sl.throughput.bookingsPerS * 0.5;
    assert.equal(verdict("stateful-faster", [run([sl, sf])]), "contradicted");
    sf.throughput.bookingsPerS = sl.throughput.bookingsPerS;
    sf.audit.valid = false;
    assert.equal(verdict("stateful-faster", [run([sl, sf])]), "contradicted");
  });
  test("not measured without both apps", () => {
    assert.equal(verdict("stateful-faster", [run([result("stateless")])]), "not-measured");
  });
});

describe("persist actor state asynchronously", () => {
  const asyncKilled = (lost: number) => {
    const sf = result("stateful");
    sf.appConfig.persistence = "async";
    sf.faults = [kill];
    sf.audit.lost = lost;
    sf.audit.valid = lost === 0;
    return sf;
  };
  test("contradicted when a killed async node lost acknowledged bookings", () => {
    assert.equal(verdict("async-persistence", [run([asyncKilled(3)])]), "contradicted");
  });
  test("supported when nothing was lost", () => {
    assert.equal(verdict("async-persistence", [run([asyncKilled(0)])]), "supported");
  });
  test("not measured without async, or async without a kill, or an undecided audit", () => {
    const sync = asyncKilled(0);
    sync.appConfig.persistence = "sync";
    assert.equal(verdict("async-persistence", [run([sync])]), "not-measured");
    const noKill = asyncKilled(0);
    noKill.faults = [];
    assert.equal(verdict("async-persistence", [run([noKill])]), "not-measured");
    const unknown = asyncKilled(0);
    unknown.audit.valid = "unknown";
    assert.equal(verdict("async-persistence", [run([unknown])]), "not-measured");
  });
});

describe("an insert-only event log reduces database load", () => {
  test("supported when the event log needs fewer statements and no more commits per booking", () => {
    const [sl, sf] = [result("stateless"), result("stateful")];
    sl.db.statementsPerBooking = 9;
    sf.db.statementsPerBooking = 1;
    sl.db.commitsPerBooking = 4;
    sf.db.commitsPerBooking = 4;
    assert.equal(verdict("insert-only-log", [run([sl, sf])]), "supported");
  });
  test("contradicted when the event log needs more statements, or more commits, in any scenario", () => {
    const [sl, sf] = [result("stateless"), result("stateful")];
    sl.db.statementsPerBooking = 2;
    sf.db.statementsPerBooking = 3;
    assert.equal(verdict("insert-only-log", [run([sl, sf])]), "contradicted");
    sf.db.statementsPerBooking = 1;
    sl.db.commitsPerBooking = 1;
    sf.db.commitsPerBooking = 2;
    assert.equal(verdict("insert-only-log", [run([sl, sf])]), "contradicted");
  });
  test("not measured when per-booking costs are unknown (no bookings)", () => {
    const [sl, sf] = [result("stateless"), result("stateful")];
    sf.db.statementsPerBooking = null;
    assert.equal(verdict("insert-only-log", [run([sl, sf])]), "not-measured");
  });
});

describe("if the node holding state goes down, the state is lost", () => {
  const killed = (lost: number) => {
    const sf = result("stateful");
    sf.faults = [kill];
    sf.audit.lost = lost;
    sf.audit.valid = lost === 0;
    return sf;
  };
  test("supported by any lost acknowledgement, contradicted when all survived", () => {
    assert.equal(verdict("node-down-state-lost", [run([killed(2)])]), "supported");
    assert.equal(verdict("node-down-state-lost", [run([killed(0)])]), "contradicted");
  });
  test("not measured without a kill", () => {
    const sf = killed(0);
    sf.faults = [];
    assert.equal(verdict("node-down-state-lost", [run([sf])]), "not-measured");
  });
  test("a kill that failed to inject does not count", () => {
    const sf = killed(0);
    sf.faults = [{ atS: 10, action: "kill-node-failed", detail: "kill-node failed: no such node" }];
    assert.equal(verdict("node-down-state-lost", [run([sf])]), "not-measured");
  });
});

describe("shards move to new nodes and actors restart on demand", () => {
  const scaled = (node3Pct: number) => {
    const sf = result("stateful");
    sf.appConfig.nodes = 2;
    sf.faults = [join_];
    sf.cpu.maxPercentByProcess = { "node-1": 50, "node-2": 50, "node-3": node3Pct, postgres: 30 };
    return sf;
  };
  test("supported when the audit passed and every added node did work", () => {
    assert.equal(verdict("shards-move", [run([scaled(ADDED_NODE_BUSY_PCT + 20)])]), "supported");
  });
  test("contradicted when an added node stayed idle, or the audit failed", () => {
    assert.equal(verdict("shards-move", [run([scaled(ADDED_NODE_BUSY_PCT / 2)])]), "contradicted");
    const failed = scaled(40);
    failed.audit.valid = false;
    failed.audit.doubleSold = 1;
    assert.equal(verdict("shards-move", [run([failed])]), "contradicted");
  });
  test("not measured when no nodes were added", () => {
    const sf = scaled(40);
    sf.faults = [];
    assert.equal(verdict("shards-move", [run([sf])]), "not-measured");
  });
});

describe("a write queue reduces load on the database", () => {
  const stateless = (mode: string, commits: number, statements: number) => {
    const r = result("stateless");
    r.appConfig.writeMode = mode;
    r.db.commitsPerBooking = commits;
    r.db.statementsPerBooking = statements;
    return r;
  };
  test("supported across two runs when the queue needs fewer commits and no more statements", () => {
    const runs = [
      run([stateless("sync", 6, 10)], undefined, "before"),
      run([stateless("queue", 2, 10)], undefined, "after"),
    ];
    assert.equal(verdict("write-queue", runs), "supported");
  });
  test("contradicted when the queue does not reduce commits", () => {
    const runs = [run([stateless("sync", 2, 10)], undefined, "a"), run([stateless("queue", 2, 10)], undefined, "b")];
    assert.equal(verdict("write-queue", runs), "contradicted");
  });
  test("not measured with one write mode only", () => {
    assert.equal(verdict("write-queue", [run([stateless("queue", 2, 10)])]), "not-measured");
  });
});

describe("a stateless tier survives a lost server", () => {
  const killed = (rate: number) => {
    const sl = result("stateless");
    sl.faults = [kill];
    sl.errors.rate = rate;
    return sl;
  };
  test(`supported at or below ${FAILOVER_MAX_ERROR_RATE * 100}% errors with a passing audit`, () => {
    assert.equal(verdict("stateless-failover", [run([killed(FAILOVER_MAX_ERROR_RATE)])]), "supported");
  });
  test("contradicted above it", () => {
    assert.equal(verdict("stateless-failover", [run([killed(FAILOVER_MAX_ERROR_RATE * 3)])]), "contradicted");
  });
  test("not measured without a kill", () => {
    assert.equal(verdict("stateless-failover", [run([result("stateless")])]), "not-measured");
  });
});

describe("stateful systems are harder to scale horizontally", () => {
  /** 30 s of requests/s: `before` until the join at 15 s, `after` from then on. */
  const series = (before: number, after: number): TimeSeries => {
    const t = Array.from({ length: 30 }, (_, i) => i + 1);
    return {
      t,
      latencyP50: t.map(() => 1),
      latencyP99: t.map(() => 5),
      requestsPerS: t.map((s) => (s < 15 ? before : after)),
      errorsPerS: t.map(() => 0),
      bookingsPerS: t.map(() => 10),
      pgStatementsPerS: t.map(() => 0),
      pgCommitsPerS: t.map(() => 0),
      pgRowsWrittenPerS: t.map(() => 0),
      redisCommandsPerS: t.map(() => 0),
      cpuPercent: {},
      rssMb: {},
      faults: [],
    };
  };
  const scenario = (slGain: number, sfGain: number): ClaimRun => {
    const [sl, sf] = [result("stateless", "scale-out"), result("stateful", "scale-out")];
    sl.faults = [{ ...join_, atS: 15 }];
    sf.faults = [{ ...join_, atS: 15 }];
    const m = new Map([
      ["scale-out/stateless", series(400, 400 * slGain)],
      ["scale-out/stateful", series(500, 500 * sfGain)],
    ]);
    return run([sl, sf], m);
  };
  test("joinGain averages after the join over before it", () => {
    assert.equal(joinGain(series(400, 600), 15), 1.5);
    assert.equal(joinGain(series(400, 600), 40), null, "no seconds after the join");
  });
  test("supported when the stateful app gains clearly less", () => {
    assert.equal(verdict("stateful-harder-to-scale", [scenario(1.8, 1.2)]), "supported");
  });
  test("contradicted when it gains as much or more", () => {
    assert.equal(verdict("stateful-harder-to-scale", [scenario(1.5, 1.5)]), "contradicted");
    assert.equal(verdict("stateful-harder-to-scale", [scenario(1.3, 1.8)]), "contradicted");
  });
  test("not measured when neither gained (capacity did not bind) or no nodes were added", () => {
    assert.equal(verdict("stateful-harder-to-scale", [scenario(1.0, 1.01)]), "not-measured");
    assert.equal(verdict("stateful-harder-to-scale", [run([result("stateless"), result("stateful")])]), "not-measured");
  });
});

describe("the fixtures, judged by the same rules", () => {
  for (const [name, dir] of Object.entries(FIXTURES)) {
    test(`${name}: the durability claims follow the audit of stateful runs with a killed node`, () => {
      const summary = load(dir);
      const killed = summary.results.filter(
        (r) => r.app === "stateful" && r.faults.some((f) => f.action === "kill-node") && r.audit.valid !== "unknown",
      );
      const expected: ClaimVerdict =
        killed.length === 0 ? "not-measured" : killed.some((r) => r.audit.lost > 0) ? "supported" : "contradicted";
      assert.equal(verdict("node-down-state-lost", [run(summary.results)]), expected);
      const asyncKilled = killed.filter((r) => r.appConfig.persistence === "async");
      const expectedAsync: ClaimVerdict =
        asyncKilled.length === 0
          ? "not-measured"
          : asyncKilled.some((r) => r.audit.lost > 0)
            ? "contradicted"
            : "supported";
      assert.equal(verdict("async-persistence", [run(summary.results)]), expectedAsync);
    });
  }
});
