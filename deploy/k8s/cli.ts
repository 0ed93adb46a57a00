/**
 * `npm run k8s -- <command>`: the Kubernetes manifests of both stacks and the objects of one run.
 *
 *   generate [--check]     (re)writes deploy/k8s/{base,stateless,stateful}/ from deploy/k8s/src/; --check only
 *                          says which files are stale (the validation test runs it)
 *   run --app A --run-id ID [--scenario flash-sale] [--profile default] [--rate N] [--duration S] [--seats N]
 *       [--parallelism 4] [--seed 1] [--k6-image grafana/k6:0.48.0] [--storage-class C]
 *       [--results-access ReadWriteMany|ReadWriteOnce] [--out results/k8s/<run-id>]
 *                          writes setup.yaml (results volume, k6 ConfigMap, prepare Job), testrun.yaml,
 *                          collect.yaml and run.json (what `statebench import-k6` needs) into --out
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { AppName } from "../../harness/results/types.ts";
import { collectPod, names, RUN_DEFAULTS, type RunOptions, runObjects } from "./src/run-objects.ts";
import { stackFiles } from "./src/stack.ts";
import { assertValid } from "./src/validate.ts";
import { toYaml } from "./src/yaml.ts";

const HERE = import.meta.dirname;

/** The committed files as they should read now, by absolute path. */
export function renderStack(root = HERE): Map<string, string> {
  assertValid(stackFiles().flatMap((f) => f.objects));
  return new Map(stackFiles().map((f) => [join(root, f.path), toYaml(f.objects, f.comment)]));
}

function generate(check: boolean): number {
  const stale: string[] = [];
  for (const [path, text] of renderStack()) {
    let current: string | null = null;
    try {
      current = readFileSync(path, "utf8");
    } catch {
      // missing: stale
    }
    if (current === text) continue;
    stale.push(path);
    if (!check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  if (check && stale.length > 0) {
    console.error(`stale (run \`npm run k8s -- generate\`):\n${stale.map((p) => `  ${p}`).join("\n")}`);
    return 1;
  }
  console.log(check ? "deploy/k8s is up to date" : `wrote ${stale.length} file(s)`);
  return 0;
}

const num = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got "${v}"`);
  return n;
};

/** Parses `run`'s flags into RunOptions (exported for the test). */
export function parseRunOptions(argv: string[]): RunOptions & { out: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      app: { type: "string" },
      "run-id": { type: "string" },
      scenario: { type: "string" },
      profile: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      seats: { type: "string" },
      parallelism: { type: "string" },
      seed: { type: "string" },
      "k6-image": { type: "string" },
      "storage-class": { type: "string" },
      "results-access": { type: "string" },
      out: { type: "string" },
    },
    strict: true,
  });
  if (values.app !== "stateless" && values.app !== "stateful") throw new Error("--app stateless|stateful is required");
  if (!values["run-id"]) throw new Error("--run-id is required (it names the event, the objects and the results)");
  const access = values["results-access"] ?? RUN_DEFAULTS.resultsAccess;
  if (access !== "ReadWriteMany" && access !== "ReadWriteOnce")
    throw new Error("--results-access must be ReadWriteMany or ReadWriteOnce");
  const rate = num(values.rate, "--rate");
  const durationS = num(values.duration, "--duration");
  const seats = num(values.seats, "--seats");
  const runId = values["run-id"];
  return {
    app: values.app as AppName,
    runId,
    scenario: values.scenario ?? RUN_DEFAULTS.scenario,
    profile: values.profile ?? RUN_DEFAULTS.profile,
    overrides: {
      ...(rate !== undefined ? { rate } : {}),
      ...(durationS !== undefined ? { durationS } : {}),
      ...(seats !== undefined ? { seats } : {}),
    },
    parallelism: num(values.parallelism, "--parallelism") ?? RUN_DEFAULTS.parallelism,
    seed: num(values.seed, "--seed") ?? RUN_DEFAULTS.seed,
    k6Image: values["k6-image"] ?? RUN_DEFAULTS.k6Image,
    storageClass: values["storage-class"] ?? RUN_DEFAULTS.storageClass,
    resultsAccess: access,
    out: resolve(values.out ?? join("results", "k8s", runId)),
  };
}

/** Writes the run's files; returns their paths. */
export function writeRun(o: RunOptions & { out: string }): Record<string, string> {
  const { setup, testRun } = runObjects(o);
  assertValid([...setup, testRun, collectPod(o)]);
  const n = names(o.runId);
  mkdirSync(o.out, { recursive: true });
  const files = {
    setup: join(o.out, "setup.yaml"),
    testRun: join(o.out, "testrun.yaml"),
    collect: join(o.out, "collect.yaml"),
    run: join(o.out, "run.json"),
  };
  const { out: _out, ...options } = o;
  writeFileSync(
    files.setup,
    toYaml(setup, `Run ${o.runId} (${o.app}, ${o.scenario}/${o.profile}): apply, then wait for job/${n.prepare}.`),
  );
  writeFileSync(files.testRun, toYaml([testRun], `Run ${o.runId}: ${o.parallelism} k6 pods split the arrival rate.`));
  writeFileSync(files.collect, toYaml([collectPod(o)], `Run ${o.runId}: mounts the results volume for kubectl cp.`));
  writeFileSync(files.run, `${JSON.stringify({ ...options, names: n }, null, 2)}\n`);
  return files;
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === "generate") return generate(rest.includes("--check"));
    if (command === "run") {
      const o = parseRunOptions(rest);
      const files = writeRun(o);
      const ns = `statebench-${o.app}`;
      const n = names(o.runId);
      console.log(`wrote ${Object.values(files).join(", ")}
next:
  kubectl -n ${ns} apply -f ${files.setup}
  kubectl -n ${ns} wait --for=condition=complete job/${n.prepare} --timeout=10m
  kubectl -n ${ns} apply -f ${files.testRun}
  kubectl -n ${ns} wait --for=jsonpath='{.status.stage}'=finished testrun/${n.testRun} --timeout=60m
  kubectl -n ${ns} apply -f ${files.collect} && kubectl -n ${ns} wait --for=condition=ready pod/${n.collect}
  kubectl -n ${ns} cp ${n.collect}:/results/${o.runId} ${join(o.out, "k6")}
  npx statebench import-k6 ${o.out}`);
      return 0;
    }
  } catch (err) {
    console.error(`k8s ${command}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  console.error("usage: npm run k8s -- generate [--check] | run --app stateless|stateful --run-id ID [...]");
  return 2;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(HERE, "cli.ts"))
  process.exitCode = main(process.argv.slice(2));
