// compose.yaml validates with Debian's docker-compose 1.29 (no Docker engine needed: `config` only parses and
// checks the file), its app services get the environment the harness sets, and deploy/haproxy.cfg is valid.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { NodeConfig } from "../stateful-app/config.ts";
import { loadConfig } from "../stateless-app/config.ts";

const root = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "statebench-compose-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function tool(name: string): string {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  assert.ok(found, `${name} not found: run \`npm run setup\` (it installs ${name} with apt-get)`);
  return found;
}

const PASSWORD = "test-password-1";

function compose(args: string[], file = join(root, "compose.yaml"), extra: Record<string, string> = {}) {
  // A clean environment: the file's defaults, not this shell's overrides, are what is checked. The one value
  // without a default is the database password (compose.yaml refuses to start without it).
  const env = { PATH: process.env.PATH ?? "", HOME: tmp, POSTGRES_PASSWORD: PASSWORD, ...extra };
  return spawnSync(tool("docker-compose"), ["-f", file, ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 30_000,
  });
}

interface Service {
  environment: Record<string, string>;
  profiles: string[];
  command: string[];
  image: string;
}

/** The services of docker-compose's normalized `config` output (its fixed 2-space YAML layout). */
function services(yaml: string): Record<string, Service> {
  const out: Record<string, Service> = {};
  let inServices = false;
  let svc: Service | null = null;
  let key = "";
  for (const line of yaml.split("\n")) {
    if (/^\S/.test(line)) {
      inServices = line === "services:";
      svc = null;
      continue;
    }
    if (!inServices) continue;
    const name = /^ {2}([\w-]+):$/.exec(line);
    if (name) {
      svc = { environment: {}, profiles: [], command: [], image: "" };
      out[name[1] as string] = svc;
      continue;
    }
    if (!svc) continue;
    const k = /^ {4}([\w-]+):\s*(.*)$/.exec(line);
    if (k) {
      key = k[1] as string;
      if (key === "image") svc.image = k[2] as string;
      continue;
    }
    const item = /^ {4}- (.*)$/.exec(line);
    if (item && key === "profiles") svc.profiles.push(item[1] as string);
    if (item && key === "command") svc.command.push(item[1] as string);
    const env = /^ {6}([A-Z0-9_]+): (.*)$/.exec(line);
    if (env && key === "environment") svc.environment[env[1] as string] = (env[2] as string).replace(/^'(.*)'$/, "$1");
  }
  return out;
}

// What deploy/entrypoint.sh adds per container before exec'ing the app.
const entrypointDefaults = { NODE_ID: "c0ffee000001", ADVERTISE_URL: "http://172.18.0.5:8080" };

describe("compose.yaml (validated with docker-compose 1.29; no Docker engine here)", () => {
  it("validates, with each profile too", () => {
    for (const args of [
      ["config", "-q"],
      ["--profile", "stateless", "config", "-q"],
      ["--profile", "stateful", "config", "-q"],
    ]) {
      const r = compose(args);
      assert.equal(r.status, 0, `docker-compose ${args.join(" ")}: ${r.stderr}`);
    }
  });

  it("PostgreSQL takes passwords only: no default password, scram-sha-256 for sockets and TCP alike", () => {
    const missing = compose(["config", "-q"], undefined, { POSTGRES_PASSWORD: "" });
    assert.notEqual(missing.status, 0, "compose.yaml started without POSTGRES_PASSWORD");
    assert.match(missing.stderr, /POSTGRES_PASSWORD/);
    const s = services(compose(["--profile", "stateless", "--profile", "stateful", "config"]).stdout);
    const db = s.postgres?.environment ?? {};
    assert.equal(db.POSTGRES_PASSWORD, PASSWORD);
    assert.equal(db.POSTGRES_HOST_AUTH_METHOD, "scram-sha-256");
    assert.equal(db.POSTGRES_INITDB_ARGS, "--auth-local=scram-sha-256 --auth-host=scram-sha-256");
    for (const name of ["stateless-api", "stateless-worker", "stateful"]) {
      assert.match(s[name]?.environment.DATABASE_URL ?? "", new RegExp(`^postgres://statebench:${PASSWORD}@postgres:`));
    }
  });

  it("the validation can fail: a misspelt key is rejected", () => {
    const bad = join(tmp, "bad.yaml");
    writeFileSync(bad, "services:\n  app:\n    image: x\n    enviroment:\n      A: b\n");
    const r = compose(["config", "-q"], bad);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /enviroment/);
  });

  it("has every part, in the right profiles, running the repository's entry points", () => {
    const r = compose(["--profile", "stateless", "--profile", "stateful", "config"]);
    assert.equal(r.status, 0, r.stderr);
    const s = services(r.stdout);
    const profiles = Object.fromEntries(Object.entries(s).map(([n, v]) => [n, v.profiles.join(",")]));
    assert.deepEqual(profiles, {
      postgres: "",
      redis: "stateless",
      "stateless-api": "stateless",
      "stateless-worker": "stateless",
      stateful: "stateful",
      haproxy: "stateless,stateful",
      "prepare-stateless": "stateless",
      "prepare-stateful": "stateful",
      "k6-stateless": "stateless",
      "k6-stateful": "stateful",
    });
    assert.match(r.stdout, /shared_preload_libraries=pg_stat_statements/);
    assert.equal(s.postgres?.image, "postgres:15");
    assert.equal(s.redis?.image, "redis:7");
    assert.match(s["k6-stateless"]?.image ?? "", /^grafana\/k6:/);
    assert.equal(s["k6-stateful"]?.command.at(-1), "/scripts/scenarios/k6/script.js");
    for (const name of ["stateless-api", "stateless-worker", "stateful", "prepare-stateless"]) {
      const entry = s[name]?.command[0] ?? "";
      assert.ok(existsSync(join(root, entry)), `${name} runs ${entry}, which exists`);
    }
    for (const f of ["deploy/Dockerfile", "deploy/entrypoint.sh", "deploy/healthcheck.mjs", "deploy/haproxy.cfg"])
      assert.ok(existsSync(join(root, f)), f);
  });

  it("configures the apps through the harness's variables, which the apps' own config parsers accept", () => {
    const s = services(compose(["--profile", "stateless", "--profile", "stateful", "config"]).stdout);
    const api = s["stateless-api"]?.environment ?? {};
    const node = s.stateful?.environment ?? {};
    assert.deepEqual(Object.keys(api).sort(), [
      "DATABASE_URL",
      "HOST",
      "LOG_LEVEL",
      "METRICS_PORT",
      "PORT",
      "REDIS_URL",
      "WRITE_MODE",
    ]);
    assert.deepEqual(Object.keys(node).sort(), [
      "DATABASE_URL",
      "GRANULARITY",
      "HOST",
      "LOG_LEVEL",
      "METRICS_PORT",
      "PERSISTENCE",
      "PORT",
      "SHARDS",
    ]);
    assert.equal(api.HOST, "0.0.0.0");
    const stateless = loadConfig({ ...api, ...entrypointDefaults });
    assert.equal(stateless.PORT, 8080);
    assert.equal(stateless.WRITE_MODE, "queue");
    const stateful = NodeConfig.parse({ ...node, ...entrypointDefaults });
    assert.equal(stateful.NODE_ID, entrypointDefaults.NODE_ID, "replicas get distinct ids from the entrypoint");
    assert.equal(stateful.SHARDS, 128);
    assert.equal(stateful.PERSISTENCE, "sync");
  });

  it("deploy/haproxy.cfg is valid for HAProxy (checked with the local haproxy)", () => {
    const r = spawnSync(tool("haproxy"), ["-c", "-f", join(root, "deploy/haproxy.cfg")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr + r.stdout);
  });
});
