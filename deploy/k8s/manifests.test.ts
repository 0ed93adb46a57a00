// The committed Kubernetes manifests, checked offline: they are what the generator writes, every object is valid
// against the Kubernetes schemas (kubernetes-models), and the objects meet each other (selectors, ports, config
// files, secrets, HAProxy's backends) the way a cluster would need.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { parseAllDocuments } from "yaml";
import { haproxyConfig as harnessHaproxyConfig } from "../../harness/infra/haproxy-config.ts";
import { renderStack } from "./cli.ts";
import { routingRules, SHARD_MAP } from "./src/haproxy-config.ts";
import { METRICS_PORT, RUNTIME_ADDR, SECRETS, SERVICE } from "./src/meta.ts";
import { KustomizationSchema, validateObject } from "./src/validate.ts";

const ROOT = import.meta.dirname;
// biome-ignore lint/suspicious/noExplicitAny: walking parsed YAML
type Obj = Record<string, any>;

function readYaml(path: string): Obj[] {
  return parseAllDocuments(readFileSync(path, "utf8")).map((d) => {
    assert.equal(d.errors.length, 0, `${path}: ${d.errors.join("; ")}`);
    return d.toJS() as Obj;
  });
}

/** What `kubectl apply -k <dir>` would apply, following `resources` (files and folders) as kustomize does. */
function build(dir: string): Obj[] {
  const [k] = readYaml(join(dir, "kustomization.yaml"));
  const kust = KustomizationSchema.parse(k);
  const listed = new Set(kust.resources);
  const yamls = readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
  for (const f of yamls) assert.ok(listed.has(f), `${dir}/${f} is not listed in its kustomization`);
  const out = kust.resources.flatMap((r) => {
    const p = resolve(dir, r);
    assert.ok(existsSync(p), `${dir}: resource ${r} does not exist`);
    return r.endsWith(".yaml") ? readYaml(p) : build(p);
  });
  return kust.namespace ? out.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: kust.namespace } })) : out;
}

const podTemplates = (objs: Obj[]) =>
  objs.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind)).map((o) => ({ owner: o, t: o.spec.template }));
const containers = (objs: Obj[]) =>
  podTemplates(objs).flatMap(({ owner, t }) => t.spec.containers.map((c: Obj) => ({ owner, c })));
const matches = (sel: Obj, lbls: Obj) => Object.entries(sel).every(([k, v]) => lbls?.[k] === v);
function one(objs: Obj[], kind: string, name: string): Obj {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `no ${kind} ${name}`);
  return o;
}
const envOf = (c: Obj, name: string) => (c.env ?? []).find((e: Obj) => e.name === name);
const haproxyCfg = (objs: Obj[]) => one(objs, "ConfigMap", "haproxy-config").data;

describe("deploy/k8s manifests", () => {
  it("are what `npm run k8s -- generate` writes (committed output is not stale)", () => {
    for (const [path, text] of renderStack()) assert.equal(readFileSync(path, "utf8"), text, `${path} is stale`);
  });

  it("validation rejects a broken object (the checker can fail)", () => {
    const bad = new Deployment({
      metadata: { name: "x" },
      spec: {
        selector: {},
        template: { spec: { containers: [{ name: "c", ports: [{ containerPort: "80" as never }] }] } },
      },
    });
    assert.ok(validateObject(bad.toJSON()).length > 0);
    assert.ok(validateObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad_Name" } }).length > 0);
    assert.ok(validateObject({ apiVersion: "v9", kind: "Gadget", metadata: { name: "x" } }).length > 0);
  });

  for (const app of ["stateless", "stateful"] as const) {
    describe(`${app} overlay`, () => {
      const objs = build(join(ROOT, app));

      it("every object is valid against the Kubernetes schemas, with a DNS-1123 name unique per kind", () => {
        assert.deepEqual(objs.flatMap(validateObject), []);
        const keys = objs.map((o) => `${o.kind}/${o.metadata.name}`);
        assert.equal(new Set(keys).size, keys.length, `duplicates in ${keys.join(", ")}`);
        assert.ok(objs.every((o) => o.kind === "Namespace" || o.metadata.namespace === `statebench-${app}`));
      });

      it("each Service selects pods, on a port those pods name", () => {
        for (const svc of objs.filter((o) => o.kind === "Service")) {
          const pods = podTemplates(objs).filter(({ t }) => matches(svc.spec.selector, t.metadata.labels));
          assert.ok(pods.length > 0, `Service ${svc.metadata.name} selects no pod`);
          for (const p of svc.spec.ports) {
            const named = pods.some(({ t }) =>
              t.spec.containers.some((c: Obj) => c.ports?.some((cp: Obj) => cp.name === p.targetPort)),
            );
            assert.ok(named, `Service ${svc.metadata.name}: no selected container has a port named ${p.targetPort}`);
          }
        }
        for (const { owner, t } of podTemplates(objs))
          assert.ok(matches(owner.spec.selector.matchLabels, t.metadata.labels));
      });

      it("every container has requests and limits; app processes readiness/liveness probes on /health", () => {
        for (const { owner, c } of containers(objs)) {
          for (const k of ["requests", "limits"])
            for (const r of ["cpu", "memory"])
              assert.ok(c.resources?.[k]?.[r], `${owner.metadata.name}/${c.name}: no ${k}.${r}`);
          if (c.image === "statebench-app") {
            assert.equal(c.readinessProbe?.httpGet?.path, "/health", `${c.name} readiness`);
            assert.equal(c.livenessProbe?.httpGet?.path, "/health", `${c.name} liveness`);
          } else assert.ok(c.readinessProbe && c.livenessProbe, `${c.name}: probes`);
        }
      });

      it("credentials come from the documented Secrets, never from a literal; $(VAR) refers to an earlier variable", () => {
        const documented = new Set(Object.values(SECRETS).map((s) => `${s.name}/${s.key}`));
        for (const { c } of containers(objs)) {
          const seen = new Set<string>();
          for (const e of c.env ?? []) {
            const ref = e.valueFrom?.secretKeyRef;
            if (ref) assert.ok(documented.has(`${ref.name}/${ref.key}`), `${c.name}: ${ref.name}/${ref.key}`);
            if (/PASSWORD|SECRET|TOKEN/.test(e.name)) assert.ok(ref, `${c.name}: ${e.name} is a literal`);
            for (const m of String(e.value ?? "").matchAll(/\$\((\w+)\)/g))
              assert.ok(seen.has(m[1] as string), `${c.name}: ${e.name} uses $(${m[1]}) before it is set`);
            seen.add(e.name);
          }
        }
        assert.ok(!JSON.stringify(objs).includes("trust"), "no trust authentication anywhere");
      });

      it("mounted ConfigMaps exist and hold the keys mounted", () => {
        for (const { t } of podTemplates(objs)) {
          for (const v of t.spec.volumes ?? []) {
            if (!v.configMap) continue;
            const cm = one(objs, "ConfigMap", v.configMap.name);
            assert.ok(cm, `ConfigMap ${v.configMap.name} missing`);
            for (const item of v.configMap.items ?? [])
              assert.ok(item.key in cm.data, `${cm.metadata.name} has no ${item.key}`);
          }
        }
      });

      it("PostgreSQL preloads pg_stat_statements, authenticates with passwords and runs the compose init SQL", () => {
        const pg = one(objs, "StatefulSet", SERVICE.postgres);
        const c = pg?.spec.template.spec.containers[0];
        assert.ok(c.args.includes("shared_preload_libraries=pg_stat_statements"));
        assert.equal(envOf(c, "POSTGRES_HOST_AUTH_METHOD").value, "scram-sha-256");
        assert.equal(envOf(c, "POSTGRES_INITDB_ARGS").value, "--auth-local=scram-sha-256 --auth-host=scram-sha-256");
        const init = one(objs, "ConfigMap", "postgres-init");
        assert.equal(Object.values(init.data)[0], readFileSync(join(ROOT, "..", "postgres-init.sql"), "utf8"));
      });

      it("HAProxy: public frontend strips x-statebench-* and refuses /metrics; stats on their own port and Service", () => {
        const cfg: string = haproxyCfg(objs)["haproxy.cfg"];
        const publicFrontend = cfg.split("frontend public")[1]?.split(/\n\S/)[0] ?? "";
        assert.match(publicFrontend, /del-header x-statebench- -m beg/);
        assert.match(publicFrontend, /deny deny_status 404 if \{ path \/metrics \}/);
        assert.doesNotMatch(publicFrontend, /stats|prometheus/);
        const lb = one(objs, "Service", SERVICE.haproxy);
        assert.deepEqual(
          lb.spec.ports.map((p: Obj) => p.port),
          [8080],
        );
        // The backend follows an existing headless Service.
        const host = /server-template \S+ \d+-\d+ "([^.]+)\./.exec(cfg)?.[1];
        const svc = one(objs, "Service", host ?? "(none)");
        assert.equal(svc?.spec.clusterIP, "None", `server-template names ${host}`);
      });

      it("app processes serve /metrics on a port of their own, which the app-metrics Service targets", () => {
        const apps = containers(objs).filter(({ c }) => c.image === "statebench-app" && c.name !== "lb-sync");
        assert.ok(apps.length > 0);
        for (const { c } of apps) {
          assert.equal(envOf(c, "METRICS_PORT")?.value, String(METRICS_PORT), `${c.name}: METRICS_PORT`);
          const ports = Object.fromEntries(c.ports.map((p: Obj) => [p.name, p.containerPort]));
          assert.deepEqual(ports, { http: 8080, metrics: METRICS_PORT }, `${c.name}: ports`);
        }
        const svc = one(objs, "Service", SERVICE.appMetrics);
        assert.deepEqual(
          svc.spec.ports.map((p: Obj) => [p.port, p.targetPort]),
          [[METRICS_PORT, "metrics"]],
        );
        assert.equal(svc.metadata.annotations["prometheus.io/port"], String(METRICS_PORT));
      });

      it("haproxy -c accepts the config", (t) => {
        if (spawnSync("haproxy", ["-v"]).status !== 0) return t.skip("haproxy is not installed (npm run setup)");
        const dir = mkdtempSync(join(tmpdir(), "statebench-k8s-"));
        try {
          // The map as mounted in the pod, moved into the scratch folder.
          const data = haproxyCfg(objs) as Record<string, string>;
          mkdirSync(join(dir, "maps"));
          if (data["shard-owner.map"] !== undefined)
            writeFileSync(join(dir, "maps", "shard-owner.map"), data["shard-owner.map"]);
          writeFileSync(
            join(dir, "haproxy.cfg"),
            (data["haproxy.cfg"] ?? "").replaceAll(SHARD_MAP, join(dir, "maps", "shard-owner.map")),
          );
          const env = { ...process.env, POD_NAMESPACE: `statebench-${app}`, CLUSTER_DOMAIN: "cluster.local" };
          execFileSync("haproxy", ["-c", "-f", join(dir, "haproxy.cfg")], { env, stdio: "pipe" });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      if (app === "stateful") {
        it("nodes: stable NODE_ID, own ADVERTISE_URL, CLUSTER_SECRET, room to hand shards off", () => {
          const sts = one(objs, "StatefulSet", "stateful");
          const c = sts.spec.template.spec.containers[0];
          assert.equal(envOf(c, "NODE_ID").valueFrom.fieldRef.fieldPath, "metadata.name");
          assert.equal(envOf(c, "ADVERTISE_URL").value, "http://$(POD_IP):8080");
          assert.equal(envOf(c, "CLUSTER_SECRET").valueFrom.secretKeyRef.name, SECRETS.cluster.name);
          assert.ok(sts.spec.template.spec.terminationGracePeriodSeconds >= 60);
          assert.ok(c.lifecycle.preStop);
        });

        it("HAProxy computes shards as the nodes do: same SHARDS and GRANULARITY, the map the publisher keeps", () => {
          const c = one(objs, "StatefulSet", "stateful").spec.template.spec.containers[0];
          const cfg: string = haproxyCfg(objs)["haproxy.cfg"];
          assert.ok(cfg.includes(`crc32,mod(${envOf(c, "SHARDS").value})`));
          assert.ok(cfg.includes(`str(${envOf(c, "GRANULARITY").value}|)`));
          assert.ok(cfg.includes(`map(${SHARD_MAP})`));
          assert.match(cfg, /use-server %\[var\(txn.owner\)\] if \{ var\(txn.owner\) -m found \}/);
        });

        it("the owner-routing rules are the harness's (harness/infra/haproxy-config.ts)", () => {
          for (const granularity of ["seat", "section"] as const) {
            const routing = { mapPath: SHARD_MAP, shards: 128, granularity };
            const theirs = harnessHaproxyConfig({
              port: 1,
              socketPath: "/s",
              slots: 1,
              threads: 1,
              balance: "roundrobin",
              routing,
            } as never);
            assert.ok(theirs.includes("use-server"), "the harness's HAProxy routes to shard owners");
            const lines = theirs.split("\n");
            const from = lines.findIndex((l) => l.trim() === "option http-buffer-request");
            const to = lines.findIndex((l) => l.trim().startsWith("use-server"));
            assert.equal(`${lines.slice(from, to + 1).join("\n")}\n`, routingRules({ shards: 128, granularity }));
          }
        });

        it("the lb-sync sidecar gets the publisher's env, matching HAProxy's runtime API, map path and backend", () => {
          const lb = one(objs, "Deployment", SERVICE.haproxy);
          const sync = lb.spec.template.spec.containers.find((c: Obj) => c.name === "lb-sync");
          assert.deepEqual(sync.args, ["stateful-app/lb-sync/main.ts"]);
          const cfg: string = haproxyCfg(objs)["haproxy.cfg"];
          assert.ok(cfg.includes(`stats socket ipv4@${envOf(sync, "HAPROXY_RUNTIME").value} level admin`));
          assert.equal(envOf(sync, "HAPROXY_RUNTIME").value, RUNTIME_ADDR);
          assert.match(cfg, new RegExp(`backend ${envOf(sync, "HAPROXY_BACKEND").value}\\n`));
          assert.match(envOf(sync, "DATABASE_URL").value, /@postgres:5432\/stateful$/);
          const vol = lb.spec.template.spec.volumes[0].configMap;
          const mount = lb.spec.template.spec.containers[0].volumeMounts[0].mountPath;
          const paths = vol.items.map((i: Obj) => join(mount, i.path));
          assert.equal(envOf(sync, "HAPROXY_MAP").value, SHARD_MAP);
          assert.ok(paths.includes(SHARD_MAP), `the map is mounted at ${SHARD_MAP}`);
          assert.equal(dirname(SHARD_MAP).startsWith(mount), true);
        });
      }
    });
  }
});
