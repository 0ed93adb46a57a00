// Network-namespace hosts: namespaces, veths and a bridge are made, processes in different namespaces talk over
// the private subnet, and nothing is left behind: after destroy(), after SIGTERM/SIGINT of the owner (exit
// hooks), and after SIGKILL of the owner (the sweeper). Skipped, saying why, where namespaces cannot be made.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createNetwork, netnsSupport, networkLeftovers, removeNetwork, sweepStaleNetworks } from "./netns.ts";
import { serviceUser } from "./os-user.ts";
import { sleep } from "./run-dir.ts";

const support = netnsSupport();
const skip = support.ok ? false : support.reason;
const logs = mkdtempSync(join(tmpdir(), "statebench-netns-test-"));
after(() => rmSync(logs, { recursive: true, force: true }));

const SERVER = `require("node:http").createServer((q, s) => s.end("hello from " + process.env.WHO)).listen(8080, process.env.IP, () => console.log("listening"))`;
const CLIENT = `fetch(process.argv[1]).then(r => r.text()).then(t => { console.log(t); process.exit(0) }, e => { console.error(String(e)); process.exit(1) })`;

async function waitFor(file: string, text: string, ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    let body = "";
    try {
      body = readFileSync(file, "utf8");
    } catch {}
    if (body.includes(text)) return body;
    if (Date.now() > deadline) throw new Error(`${file} never said "${text}": ${body}`);
    await sleep(50);
  }
}

/** Starts the fixture owner, returns it and its run tag. */
async function startOwner() {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures", "netns-owner.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(child.stdout, "data")) as [Buffer];
  const { tag } = JSON.parse(line.toString().split("\n")[0] as string) as { tag: string };
  return { child, tag };
}

describe("network-namespace hosts", { skip }, () => {
  it("a server in one namespace answers a client in another; destroy() leaves nothing", async () => {
    const net = createNetwork({ hosts: ["server", "client", "third"] });
    try {
      assert.match(net.subnet, /^10\.77\.\d+\.0\/24$/);
      assert.deepEqual(
        net.hosts.map((h) => h.name),
        ["server", "client", "third"],
      );
      assert.equal(new Set(net.hosts.map((h) => h.ip)).size, 3);
      assert.ok(networkLeftovers(net.tag).length >= 3 + 3 + 1, "namespaces, veths and bridge exist");
      const server = net.host("server");
      const serverLog = join(logs, "server.log");
      const srv = net.spawn(server, {
        label: "server",
        command: process.execPath,
        args: ["-e", SERVER],
        env: { ...process.env, IP: server.ip, WHO: "server" },
        logFile: serverLog,
      });
      await waitFor(serverLog, "listening");
      const clientLog = join(logs, "client.log");
      const cli = net.spawn("client", {
        label: "client",
        command: process.execPath,
        args: ["-e", CLIENT, `http://${server.ip}:8080/`],
        logFile: clientLog,
      });
      assert.equal(await cli.exited, 0, readFileSync(clientLog, "utf8"));
      assert.match(readFileSync(clientLog, "utf8"), /hello from server/);
      // The harness, in the root namespace, reaches the hosts through the bridge.
      assert.equal(await (await fetch(`http://${server.ip}:8080/`)).text(), "hello from server");
      // A namespace has its own loopback: the server is not on the root namespace's 127.0.0.1:8080.
      const local = await fetch("http://127.0.0.1:8080/", { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.text(),
        () => null,
      );
      assert.notEqual(local, "hello from server");
      // As another user (PostgreSQL refuses root): the switch happens inside the namespace.
      const user = serviceUser();
      if (user) {
        const idLog = join(logs, "id.log");
        const id = net.spawn("third", { label: "id", command: "id", args: ["-u"], user: user.name, logFile: idLog });
        assert.equal(await id.exited, 0);
        assert.equal(readFileSync(idLog, "utf8").trim(), String(user.uid));
      }
      const late = net.addHost("late");
      assert.equal(late.ip.split(".")[3], "5");
      await srv.stop();
    } finally {
      net.destroy();
    }
    assert.deepEqual(networkLeftovers(net.tag), []);
    net.destroy(); // idempotent
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`the owner's ${signal} removes its namespaces (exit hooks)`, async () => {
      const { child, tag } = await startOwner();
      assert.ok(networkLeftovers(tag).length > 0);
      child.kill(signal);
      await once(child, "exit");
      assert.deepEqual(networkLeftovers(tag), []);
    });
  }

  it("after a SIGKILL of the owner, the sweeper removes its leftovers (and spares live runs)", async () => {
    const live = createNetwork({ hosts: ["x"] });
    const { child, tag } = await startOwner();
    try {
      child.kill("SIGKILL");
      await once(child, "exit");
      // Its sleeper died with it (parent-death signal) but the namespaces stay until swept.
      assert.ok(networkLeftovers(tag).length > 0, "leftovers after SIGKILL");
      const removed = sweepStaleNetworks();
      assert.ok(removed.some((n) => n.includes(tag)));
      assert.deepEqual(networkLeftovers(tag), []);
      assert.ok(networkLeftovers(live.tag).length > 0, "a live run is not swept");
    } finally {
      removeNetwork(tag);
      live.destroy();
    }
  });
});
