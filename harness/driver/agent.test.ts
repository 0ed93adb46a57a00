import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadScenario, type Scenario } from "../../scenarios/index.ts";
import { isAlive, LOCAL } from "../infra/index.ts";
import { agentDriver } from "./agent.ts";
import { prepareEvent } from "./event.ts";
import { startStubServer } from "./stub-server.ts";

function shortSale(rate: number, seconds: number): Scenario {
  const s = structuredClone(loadScenario("flash-sale", "ci"));
  s.journey = { ...s.journey, thinkMs: 0 };
  s.arrival = {
    ...s.arrival,
    startRate: rate,
    stages: [{ durationS: seconds, target: rate }],
    warmupS: 1,
    warmupRate: rate,
  };
  s.stopWhenSoldOut = false;
  s.tailS = 0;
  return s;
}

describe("driver agent: one process runs the phases of a run", () => {
  it("reuses its warm agent for the next phase, starts a new one after an abort, and leaves none behind", async () => {
    const srv = await startStubServer();
    const dir = mkdtempSync(join(tmpdir(), "statebench-agent-"));
    const pids: number[] = [];
    const drive = agentDriver({ placement: LOCAL, dir, onSpawn: (pid) => pids.push(pid) });
    try {
      const scenario = shortSale(40, 1);
      await prepareEvent({ baseUrl: srv.url, eventId: "agent", scenario });
      const base = { scenario, baseUrl: srv.url, eventId: "agent", seed: 1, pollSoldOut: false };
      let acks = 0;
      const warm = await drive({ ...base, phase: "warmup", onAck: () => acks++ });
      await drive.prepare();
      let started = 0;
      const measured = await drive({ ...base, phase: "measure", onStart: () => started++ });
      assert.equal(pids.length, 1, "the measured phase ran in the warm-up's agent");
      assert.ok(warm.requests.total > 0 && measured.requests.total > 0);
      assert.equal(measured.phase, "measure");
      assert.equal(started, 1, "the phase's start was reported");
      assert.ok(acks > 0, "acknowledgements arrived live");

      const abort = new AbortController();
      setTimeout(() => abort.abort(), 300);
      const cut = await drive({ ...base, scenario: shortSale(40, 10), phase: "measure", signal: abort.signal }).then(
        (r) => r,
        (e: unknown) => e,
      );
      assert.ok(!(cut instanceof Error) || /driver agent/.test(cut.message), String(cut));
      const first = pids[0] as number;
      for (let i = 0; i < 50 && isAlive(first); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(!isAlive(first), "an aborted phase ends its agent");
      await drive({ ...base, phase: "measure" });
      assert.equal(pids.length, 2, "the next phase got a new agent");
    } finally {
      await drive.close();
      await srv.close();
      const last = pids.at(-1);
      if (last !== undefined) {
        for (let i = 0; i < 50 && isAlive(last); i++) await new Promise((r) => setTimeout(r, 100));
        assert.ok(!isAlive(last), "close() ends the last agent");
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
