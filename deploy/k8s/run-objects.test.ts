// The objects of one run on the cluster: the k6-operator TestRun (its CRD checked by our schema), the script
// ConfigMap, the prepare Job and the results volume; and the bundled k6 script, which must build the very
// options scenarios/k6/options.js builds from the same scenario JSON.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runInNewContext } from "node:vm";
import { transformSync } from "esbuild";
import { scenarioToJson } from "../../scenarios/index.ts";
import { k6Options } from "../../scenarios/k6/options.js";
import { parseRunOptions } from "./cli.ts";
import { bundleK6Script } from "./src/bundle.ts";
import { RESULTS_MOUNT, RUN_DEFAULTS, type RunOptions, runObjects, runScenario } from "./src/run-objects.ts";
import { TestRunSchema } from "./src/testrun-schema.ts";
import { validateObject } from "./src/validate.ts";

// biome-ignore lint/suspicious/noExplicitAny: walking plain objects
type Obj = Record<string, any>;

const opts = (app: RunOptions["app"], over: Partial<RunOptions> = {}): RunOptions => ({
  ...RUN_DEFAULTS,
  app,
  runId: "r1",
  profile: "quick",
  ...over,
});
const envOf = (env: Obj[], name: string): Obj => env.find((e) => e.name === name) ?? assert.fail(`no env ${name}`);

describe("k8s run objects", () => {
  for (const app of ["stateless", "stateful"] as const) {
    it(`${app}: every object validates; parallelism > 1 splits the rate; names and files meet`, () => {
      const { setup, testRun } = runObjects(opts(app));
      assert.deepEqual([...setup, testRun].flatMap(validateObject), []);
      const spec = testRun.spec as Obj;
      assert.ok(spec.parallelism > 1);
      const cm = setup.find((o: Obj) => o.kind === "ConfigMap") as Obj;
      assert.equal(spec.script.configMap.name, cm.metadata.name);
      assert.ok(spec.script.configMap.file in cm.data);
      // The operator mounts the script ConfigMap at /test: SCENARIO_FILE must be one of its keys.
      for (const pod of [spec.runner, spec.initializer]) {
        const file = envOf(pod.env, "SCENARIO_FILE").value as string;
        assert.ok(file.startsWith("/test/") && file.slice(6) in cm.data, file);
      }
      assert.equal(cm.data["scenario.json"], scenarioToJson(runScenario(opts(app))));
      assert.ok(Buffer.byteLength(JSON.stringify(cm.data)) < 1_000_000, "a ConfigMap holds at most 1 MiB");
      // Both halves address the same event through the same balancer.
      const job = setup.find((o: Obj) => o.kind === "Job") as Obj;
      const jobEnv = job.spec.template.spec.containers[0].env;
      assert.equal(envOf(jobEnv, "EVENT_ID").value, envOf(spec.runner.env, "EVENT_ID").value);
      assert.equal(envOf(jobEnv, "BASE_URL").value, envOf(spec.runner.env, "BASE_URL").value);
      // Each runner writes into its own folder of the results volume, which its init container creates.
      const out = envOf(spec.runner.env, "K6_OUT").value as string;
      assert.equal(out, `json=${RESULTS_MOUNT}/$(RUN_ID)/$(POD_NAME)/points.ndjson.gz`);
      const names = spec.runner.env.map((e: Obj) => e.name);
      assert.ok(
        names.indexOf("POD_NAME") < names.indexOf("K6_OUT") && names.indexOf("RUN_ID") < names.indexOf("K6_OUT"),
      );
      assert.match(spec.runner.initContainers[0].command.join(" "), /mkdir -p \/results\/\$\(RUN_ID\)\/\$\(POD_NAME\)/);
    });
  }

  it("the TestRun schema refuses what the CRD refuses", () => {
    const good = runObjects(opts("stateful")).testRun as Obj;
    assert.ok(TestRunSchema.safeParse(good).success);
    const broken = (f: (t: Obj) => void) => {
      const t = structuredClone(good);
      f(t);
      return TestRunSchema.safeParse(t).success;
    };
    assert.equal(
      broken((t) => (t.spec.parallelizm = 2)),
      false,
      "unknown spec key",
    );
    assert.equal(
      broken((t) => (t.spec.parallelism = 0)),
      false,
      "parallelism 0",
    );
    assert.equal(
      broken((t) => (t.spec.script.localFile = "/x.js")),
      false,
      "two script sources",
    );
    assert.equal(
      broken((t) => (t.spec.runner.env[0] = { value: "no name" })),
      false,
      "env without a name",
    );
    assert.equal(
      broken((t) => (t.spec.runner.resources = { limits: { cpu: "lots" } })),
      false,
      "bad quantity",
    );
    assert.equal(
      broken((t) => (t.spec.runner.volumez = [])),
      false,
      "unknown runner key",
    );
    assert.equal(
      broken((t) => (t.apiVersion = "k6.io/v1")),
      false,
      "wrong apiVersion",
    );
  });

  it("run flags: overrides reach the scenario and the prepare Job; bad ids are refused", () => {
    const o = parseRunOptions(["--app", "stateless", "--run-id", "r2", "--rate", "50", "--parallelism", "3"]);
    assert.equal(o.parallelism, 3);
    const { setup, testRun } = runObjects(o);
    const job = setup.find((x: Obj) => x.kind === "Job") as Obj;
    assert.equal(envOf(job.spec.template.spec.containers[0].env, "RATE").value, "50");
    assert.equal((testRun.spec as Obj).parallelism, 3);
    assert.throws(() => runObjects(opts("stateless", { runId: "Bad_Id" })), /run id/);
    assert.throws(() => parseRunOptions(["--run-id", "x"]), /--app/);
  });

  it("the bundled script loads and builds the same k6 options as scenarios/k6/options.js", () => {
    const scenario = runScenario(opts("stateful"));
    const json = scenarioToJson(scenario);
    const cjs = transformSync(bundleK6Script(), { format: "cjs", loader: "js" }).code;
    class Metric {
      add() {}
    }
    const k6: Record<string, unknown> = {
      k6: { check() {}, fail() {}, sleep() {} },
      "k6/execution": { __esModule: true, default: { vu: { metrics: { metadata: {} } }, scenario: {} } },
      "k6/http": { __esModule: true, default: { setResponseCallback() {}, expectedStatuses: () => ({}) } },
      "k6/metrics": { Counter: Metric, Gauge: Metric, Rate: Metric },
    };
    const module = { exports: {} as Obj };
    runInNewContext(cjs, {
      module,
      exports: module.exports,
      require: (id: string) => {
        if (!(id in k6)) throw new Error(`the bundle requires ${id}`);
        return k6[id];
      },
      open: (path: string) => {
        assert.equal(path, "/test/scenario.json");
        return json;
      },
      __ENV: { SCENARIO_FILE: "/test/scenario.json" },
    });
    const { options, setup, default: journey } = module.exports;
    assert.equal(typeof setup, "function");
    assert.equal(typeof journey, "function");
    assert.deepEqual(
      JSON.parse(JSON.stringify(options)),
      JSON.parse(
        JSON.stringify(k6Options(JSON.parse(json), { maxVUs: 0, preAllocatedVUs: 0, timeoutMs: 10000 }, "all")),
      ),
    );
    assert.equal(options.scenarios.measured.executor, "ramping-arrival-rate");
  });
});
