import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { IPod } from "kubernetes-models/v1/Pod";
import type { AppName } from "../../../harness/results/types.ts";
import { loadScenario, type ScenarioOverrides, scenarioToJson, withOverrides } from "../../../scenarios/index.ts";
import type { Scenario } from "../../../scenarios/types.ts";
import { bundleK6Script } from "./bundle.ts";
import { APP_PORT, K6_IMAGE, labels, SERVICE } from "./meta.ts";
import { appContainer, env, fieldEnv, resources } from "./pods.ts";
import type { TestRun } from "./testrun-schema.ts";

/** One run on the cluster: which app, which scenario (as the CLI's --scenario/--profile/--rate/...), how many k6 pods. */
export interface RunOptions {
  app: AppName;
  /** DNS-1123 label, at most 40 characters: names the event, the objects and `results/<run-id>/`. */
  runId: string;
  scenario: string;
  profile: string;
  overrides: ScenarioOverrides;
  /** k6 pods that split the arrival rate (execution segments), > 1 for a distributed load. */
  parallelism: number;
  seed: number;
  k6Image: string;
  /** Storage class of the results volume (null: the cluster's default). */
  storageClass: string | null;
  /** ReadWriteMany lets runners on different nodes share the results volume; ReadWriteOnce needs them on one node. */
  resultsAccess: "ReadWriteMany" | "ReadWriteOnce";
}

export const RUN_DEFAULTS: Omit<RunOptions, "app" | "runId"> = {
  scenario: "flash-sale",
  profile: "default",
  overrides: {},
  parallelism: 4,
  seed: 1,
  k6Image: K6_IMAGE,
  storageClass: null,
  resultsAccess: "ReadWriteMany",
};

/** The volume every runner writes its k6 output to, one folder per run and pod; created once, kept across runs. */
export const RESULTS_PVC = "statebench-k6-results";
/** Where runners mount it. */
export const RESULTS_MOUNT = "/results";

const RUN_ID = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

export const names = (runId: string) => ({
  configMap: `k6-${runId}`,
  prepare: `prepare-${runId}`,
  testRun: `run-${runId}`,
  collect: `collect-${runId}`,
});

/** The scenario of the run, exactly as `npm run bench` and compose's prepare step build it. */
export function runScenario(o: Pick<RunOptions, "scenario" | "profile" | "overrides">): Scenario {
  return withOverrides(loadScenario(o.scenario, o.profile), o.overrides);
}

const baseUrl = `http://${SERVICE.haproxy}:${APP_PORT}`;

function check(o: RunOptions): void {
  if (!RUN_ID.test(o.runId)) throw new Error(`run id "${o.runId}": lower-case letters, digits and '-', at most 40`);
  if (!Number.isInteger(o.parallelism) || o.parallelism < 1) throw new Error("parallelism must be an integer >= 1");
}

/** The ConfigMap the TestRun mounts at /test: the bundled script and the scenario JSON it reads. */
export function k6ConfigMap(o: RunOptions): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: names(o.runId).configMap, labels: { ...labels("k6"), "statebench.dev/run": o.runId } },
    data: { "statebench.js": bundleK6Script(), "scenario.json": scenarioToJson(runScenario(o)) },
  };
}

/** The results volume (apply once per namespace; re-applying an unchanged claim is a no-op). */
export function resultsClaim(o: RunOptions): IPersistentVolumeClaim {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: RESULTS_PVC, labels: labels("k6") },
    spec: {
      accessModes: [o.resultsAccess],
      ...(o.storageClass ? { storageClassName: o.storageClass } : {}),
      resources: { requests: { storage: "5Gi" } },
    },
  };
}

/** compose's prepare-<app>: waits for the app behind HAProxy, creates the run's events (measured and warm-up). */
export function prepareJob(o: RunOptions): IJob {
  const ov = o.overrides;
  const extra: IEnvVar[] = [
    env("BASE_URL", baseUrl),
    env("SCENARIO", o.scenario),
    env("PROFILE", o.profile),
    env("EVENT_ID", o.runId),
    env("OUT_DIR", "/tmp/prepare"),
    env("WAIT_S", "300"),
    ...(ov.rate !== undefined ? [env("RATE", String(ov.rate))] : []),
    ...(ov.durationS !== undefined ? [env("DURATION", String(ov.durationS))] : []),
    ...(ov.seats !== undefined ? [env("SEATS", String(ov.seats))] : []),
  ];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: names(o.runId).prepare, labels: { ...labels("prepare"), "statebench.dev/run": o.runId } },
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: { ...labels("prepare", "prepare"), "statebench.dev/run": o.runId } },
        spec: {
          restartPolicy: "Never",
          containers: [
            appContainer({
              name: "prepare",
              entry: "deploy/prepare.ts",
              env: extra,
              resources: resources({ request: "100m", limit: "1" }, { request: "256Mi", limit: "512Mi" }),
              probes: false,
            }),
          ],
        },
      },
    },
  };
}

/**
 * The k6-operator TestRun: `parallelism` k6 pods, each given an equal execution segment by the operator
 * (`--execution-segment`), so k6 splits the ramping-arrival-rate stages and the VU caps between them; iteration
 * numbers stay unique test-wide, so journey seeds, user ids and the journey cap hold across pods. Each runner
 * writes `--out json` and the summary export (K6_OUT, K6_SUMMARY_EXPORT) to `/results/<run-id>/<pod>/` on the
 * results volume, which `collect` then copies out.
 */
export function testRun(o: RunOptions): TestRun {
  const dir = `${RESULTS_MOUNT}/$(RUN_ID)/$(POD_NAME)`;
  const scriptEnv: IEnvVar[] = [
    env("SCENARIO_FILE", "/test/scenario.json"),
    env("BASE_URL", baseUrl),
    env("EVENT_ID", o.runId),
    env("RUN_SEED", String(o.seed)),
    env("PHASE", "all"),
    env("K6_NO_USAGE_REPORT", "true"),
  ];
  const idEnv: IEnvVar[] = [env("RUN_ID", o.runId), fieldEnv("POD_NAME", "metadata.name")];
  return {
    apiVersion: "k6.io/v1alpha1",
    kind: "TestRun",
    metadata: { name: names(o.runId).testRun, labels: { ...labels("k6"), "statebench.dev/run": o.runId } },
    spec: {
      parallelism: o.parallelism,
      script: { configMap: { name: names(o.runId).configMap, file: "statebench.js" } },
      separate: false,
      // k6 only reads the script and scenario to size the run: it needs their env, not the results volume.
      initializer: { image: o.k6Image, env: scriptEnv },
      runner: {
        image: o.k6Image,
        env: [
          ...scriptEnv,
          ...idEnv,
          env("K6_OUT", `json=${dir}/points.ndjson.gz`),
          env("K6_SUMMARY_EXPORT", `${dir}/summary-export.json`),
        ],
        resources: resources({ request: "1", limit: "2" }, { request: "1Gi", limit: "3Gi" }),
        // The k6 image runs unprivileged; its folder on the shared volume is made writable first.
        initContainers: [
          {
            name: "results-dir",
            image: o.k6Image,
            command: ["sh", "-c", `mkdir -p ${dir} && chmod 0777 ${RESULTS_MOUNT}/$(RUN_ID) ${dir}`],
            env: idEnv,
            securityContext: { runAsUser: 0 },
            volumeMounts: [{ name: "results", mountPath: RESULTS_MOUNT }],
          },
        ],
        volumes: [{ name: "results", persistentVolumeClaim: { claimName: RESULTS_PVC } }],
        volumeMounts: [{ name: "results", mountPath: RESULTS_MOUNT }],
      },
    },
  };
}

/** A short-lived pod that mounts the results volume read-only, for `kubectl cp` (bounded: it exits after 30 min). */
export function collectPod(o: Pick<RunOptions, "runId" | "k6Image">): IPod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: names(o.runId).collect, labels: { ...labels("collect"), "statebench.dev/run": o.runId } },
    spec: {
      restartPolicy: "Never",
      activeDeadlineSeconds: 1800,
      containers: [
        {
          name: "collect",
          image: o.k6Image,
          command: ["sleep", "1800"],
          resources: resources({ request: "10m", limit: "200m" }, { request: "16Mi", limit: "128Mi" }),
          volumeMounts: [{ name: "results", mountPath: RESULTS_MOUNT, readOnly: true }],
        },
      ],
      volumes: [{ name: "results", persistentVolumeClaim: { claimName: RESULTS_PVC, readOnly: true } }],
    },
  };
}

/** Everything one run needs, in apply order; `kubectl wait` for the prepare Job before the TestRun starts. */
export function runObjects(o: RunOptions): { setup: object[]; testRun: TestRun } {
  check(o);
  return { setup: [resultsClaim(o), k6ConfigMap(o), prepareJob(o)], testRun: testRun(o) };
}
