import assert from "node:assert/strict";
import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import { isAlive } from "../infra/index.ts";
import { APPS, type AppRegistry } from "../stack/index.ts";
import { main } from "./main.ts";

const FAKE = "harness/stack/fixtures/fake-app.ts";
const FAKE_APPS: AppRegistry = {
  ...APPS,
  stateful: { ...APPS.stateful, node: { ...APPS.stateful.node, entry: FAKE } },
};

interface UpLine {
  url: string;
  app: string;
  nodes: Array<{ id: string; url: string; pid: number }>;
  databaseUrl: string;
  redisUrl: string | null;
}

describe("statebench up (fake stateful app)", () => {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const lines = createInterface({ input: stdout });
  const pending: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  lines.on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else pending.push(line);
  });
  const nextLine = (): Promise<string> =>
    new Promise((resolve) => {
      const line = pending.shift();
      if (line !== undefined) resolve(line);
      else waiters.push(resolve);
    });
  const ask = async (command: string): Promise<Record<string, unknown>> => {
    stdin.write(`${command}\n`);
    return JSON.parse(await nextLine()) as Record<string, unknown>;
  };
  let exit: Promise<number>;
  let first: UpLine;

  before(async () => {
    delete process.env.DATABASE_URL;
    exit = main(["up", "--app", "stateful", "--nodes", "2"], { stdin, stdout, stderr, registry: FAKE_APPS });
    first = JSON.parse(await Promise.race([nextLine(), exit.then((c) => `exit ${c}`)])) as UpLine;
  });

  after(async () => {
    if (exit) {
      stdin.write("stop\n");
      await exit;
    }
  });

  it("prints one JSON line describing the running stack", async () => {
    assert.equal(first.app, "stateful");
    assert.deepEqual(
      first.nodes.map((n) => n.id),
      ["node-1", "node-2"],
    );
    assert.match(first.databaseUrl, /^postgres:\/\//);
    assert.equal(first.redisUrl, null);
    const res = await fetch(`${first.url}/health`);
    assert.equal(res.status, 200);
  });

  it("adds, kills and stops nodes on stdin commands, answering JSON lines", async () => {
    const added = await ask("add-nodes 1");
    assert.equal(added.ok, true);
    assert.deepEqual(
      (added.nodes as Array<{ id: string }>).map((n) => n.id),
      ["node-3"],
    );
    const killed = await ask("kill-node node-1");
    assert.deepEqual(killed, { ok: true, cmd: "kill-node", id: "node-1", signal: "SIGKILL" });
    assert.equal(isAlive(first.nodes[0]?.pid as number), false);
    assert.deepEqual(await ask("stop-node node-2"), { ok: true, cmd: "stop-node", id: "node-2" });
    const status = await ask("status");
    assert.deepEqual(
      (status.nodes as Array<{ id: string }>).map((n) => n.id),
      ["node-3"],
    );
  });

  it("answers bad commands with ok:false and keeps running", async () => {
    const bad = await ask("kill-node node-42");
    assert.equal(bad.ok, false);
    assert.match(String(bad.error), /no node node-42/);
    const unknown = await ask("explode");
    assert.equal(unknown.ok, false);
    assert.match(String(unknown.error), /unknown command "explode"/);
  });

  it("stops everything on the stop command and exits 0", async () => {
    const status = await ask("status");
    const pids = (status.nodes as Array<{ pid: number }>).map((n) => n.pid);
    assert.deepEqual(await ask("stop"), { ok: true, cmd: "stop" });
    assert.equal(await exit, 0);
    assert.deepEqual(pids.filter(isAlive), []);
    const down = await fetch(`${first.url}/health`).then(
      () => "answered",
      () => "refused",
    );
    assert.equal(down, "refused");
  });
});
