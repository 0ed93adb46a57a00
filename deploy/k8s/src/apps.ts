import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IService } from "kubernetes-models/v1/Service";
import type { AppName } from "../../../harness/results/types.ts";
import {
  APP_PORT,
  appLabels,
  databaseUrl,
  labels,
  METRICS_PORT,
  REDIS_PORT,
  SECRETS,
  SERVICE,
  selector,
} from "./meta.ts";
import { appContainer, env, fieldEnv, postgresPasswordEnv, resources, secretEnv } from "./pods.ts";

/** Sizes of one app process: the same for both apps, so neither is given more room. */
const APP_RESOURCES = resources({ request: "1", limit: "1" }, { request: "512Mi", limit: "1536Mi" });

/**
 * Stops taking new connections a few seconds before SIGTERM: the pod leaves the Service (and the headless DNS
 * HAProxy resolves) first, HAProxy's checks mark it down, then the process stops. `sleep` is in the image.
 */
const preStop = { preStop: { exec: { command: ["sleep", "5"] } } };

/** A headless Service: its DNS name resolves to every ready pod, which HAProxy's server-template slots follow. */
function headless(name: string, component: string): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, labels: labels(component) },
    spec: {
      clusterIP: "None",
      selector: selector(component),
      ports: [{ name: "http", port: APP_PORT, targetPort: "http" }],
    },
  };
}

/**
 * Every app process's `/metrics`, for an in-cluster scraper: a Service of its own, headless (one address per
 * pod), on the pods' `metrics` port (METRICS_PORT), which HAProxy never forwards to; its public frontend also
 * refuses /metrics, so the figures never leave the namespace through the load balancer.
 */
export function metricsService(app: AppName): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: SERVICE.appMetrics,
      labels: labels(SERVICE.appMetrics),
      annotations: {
        "prometheus.io/scrape": "true",
        "prometheus.io/path": "/metrics",
        "prometheus.io/port": String(METRICS_PORT),
      },
    },
    spec: {
      clusterIP: "None",
      selector: { "statebench.dev/app": app },
      ports: [{ name: "metrics", port: METRICS_PORT, targetPort: "metrics" }],
    },
  };
}

/** The stateless app: API replicas behind HAProxy and the BullMQ worker, on PostgreSQL and Redis. */
export function statelessObjects(o: { replicas: number; workers: number }): Array<IService | IDeployment> {
  const dbEnv = [
    postgresPasswordEnv(),
    env("DATABASE_URL", databaseUrl("stateless")),
    env("REDIS_URL", `redis://${SERVICE.redis}:${REDIS_PORT}`),
    fieldEnv("NODE_ID", "metadata.name"),
  ];
  const deployment = (
    component: string,
    role: string,
    entry: string,
    replicas: number,
    extra: IEnvVar[] = [],
  ): IDeployment => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: component, labels: labels(component) },
    spec: {
      replicas,
      selector: { matchLabels: selector(component) },
      template: {
        metadata: { labels: appLabels(component, role, "stateless") },
        spec: {
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              ...appContainer({
                name: role,
                entry,
                env: [...dbEnv, ...extra],
                resources: APP_RESOURCES,
                metrics: true,
              }),
              lifecycle: preStop,
            },
          ],
        },
      },
    },
  });
  return [
    headless(SERVICE.statelessApi, SERVICE.statelessApi),
    deployment(SERVICE.statelessApi, "api", "stateless-app/main.ts", o.replicas, [env("WRITE_MODE", "queue")]),
    deployment("stateless-worker", "worker", "stateless-app/worker-main.ts", o.workers),
    metricsService("stateless"),
  ];
}

/**
 * The stateful app: actor nodes in a StatefulSet. Each pod's NODE_ID is its stable name (stateful-0, -1, ...);
 * ADVERTISE_URL its own address, which peers forward to and the routing-table publisher matches against
 * HAProxy's servers. SIGTERM is a graceful leave (every shard handed off, the journal flushed), so the
 * grace period leaves room for it; pods start and stop in parallel, as the harness starts nodes.
 */
export function statefulObjects(o: {
  nodes: number;
  shards: number;
  granularity: "seat" | "section";
}): Array<IService | IStatefulSet> {
  const component = "stateful";
  const statefulSet: IStatefulSet = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: component, labels: labels(component) },
    spec: {
      serviceName: SERVICE.statefulNodes,
      replicas: o.nodes,
      podManagementPolicy: "Parallel",
      selector: { matchLabels: selector(component) },
      template: {
        metadata: { labels: appLabels(component, "node", "stateful") },
        spec: {
          terminationGracePeriodSeconds: 90,
          containers: [
            {
              ...appContainer({
                name: "node",
                entry: "stateful-app/main.ts",
                resources: APP_RESOURCES,
                metrics: true,
                env: [
                  postgresPasswordEnv(),
                  env("DATABASE_URL", databaseUrl("stateful")),
                  fieldEnv("NODE_ID", "metadata.name"),
                  fieldEnv("POD_IP", "status.podIP"),
                  env("ADVERTISE_URL", `http://$(POD_IP):${APP_PORT}`),
                  secretEnv("CLUSTER_SECRET", SECRETS.cluster),
                  env("PERSISTENCE", "sync"),
                  env("GRANULARITY", o.granularity),
                  env("SHARDS", String(o.shards)),
                ],
              }),
              lifecycle: preStop,
            },
          ],
        },
      },
    },
  };
  return [headless(SERVICE.statefulNodes, component), statefulSet, metricsService("stateful")];
}
