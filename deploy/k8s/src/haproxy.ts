import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IService } from "kubernetes-models/v1/Service";
import type { AppName } from "../../../harness/results/types.ts";
import { BACKEND, EMPTY_SHARD_MAP, haproxyConfig, type RoutingInput, SHARD_MAP } from "./haproxy-config.ts";
import {
  APP_IMAGE,
  APP_PORT,
  databaseUrl,
  HAPROXY_IMAGE,
  labels,
  RUNTIME_ADDR,
  SERVICE,
  STATS_PORT,
  selector,
} from "./meta.ts";
import { env, fieldEnv, healthProbes, postgresPasswordEnv, resources, restricted } from "./pods.ts";

/** lb-sync's /health and /metrics (pod-internal; no Service exposes it). */
const LB_SYNC_PORT = 8405;

const CONFIG_DIR = "/usr/local/etc/haproxy";

/**
 * The routing-table publisher beside HAProxy: it keeps the shard map equal to `shard_owner` in
 * PostgreSQL through the runtime API on the pod's loopback.
 * Its optional /health (PORT) serves the probes. Until stateful-app/lb-sync lands on main (stateful-cluster
 * branch), the container exits and restarts; HAProxy balances meanwhile (no map entry: no use-server).
 */
function lbSync(): IContainer {
  return {
    name: "lb-sync",
    image: APP_IMAGE,
    args: ["stateful-app/lb-sync/main.ts"],
    env: [
      postgresPasswordEnv(),
      env("DATABASE_URL", databaseUrl("stateful")),
      env("HAPROXY_RUNTIME", RUNTIME_ADDR),
      env("HAPROXY_MAP", SHARD_MAP),
      env("HAPROXY_BACKEND", BACKEND.stateful),
      env("LOG_LEVEL", "warn"),
      env("HOST", "0.0.0.0"),
      env("PORT", String(LB_SYNC_PORT)),
    ],
    ports: [{ name: "lb-sync", containerPort: LB_SYNC_PORT }],
    resources: resources({ request: "50m", limit: "250m" }, { request: "128Mi", limit: "256Mi" }),
    ...healthProbes("lb-sync"),
    securityContext: { ...restricted, runAsUser: 1000, runAsGroup: 1000 },
  };
}

/**
 * HAProxy 2.6 in front of the app: the public Service (port 8080, the only one meant to leave the namespace)
 * and a stats Service (8404: stats page and Prometheus exporter). One replica, as in the harness: the runtime
 * state (shard map) is per process, and a second balancer would be a second thing to keep in step.
 */
export function haproxyObjects(app: AppName, routing: RoutingInput): Array<IConfigMap | IService | IDeployment> {
  const name = SERVICE.haproxy;
  const stateful = app === "stateful";
  const configMap: IConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "haproxy-config", labels: labels(name) },
    data: { "haproxy.cfg": haproxyConfig(app, routing), ...(stateful ? { "shard-owner.map": EMPTY_SHARD_MAP } : {}) },
  };
  const items = [
    { key: "haproxy.cfg", path: "haproxy.cfg" },
    ...(stateful ? [{ key: "shard-owner.map", path: SHARD_MAP.slice(CONFIG_DIR.length + 1) }] : []),
  ];
  const statsProbe = (failureThreshold: number, periodSeconds: number) => ({
    httpGet: { path: "/stats", port: "stats" },
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold,
  });
  const deployment: IDeployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: labels(name) },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector(name) },
      template: {
        metadata: { labels: labels(name, "haproxy") },
        spec: {
          containers: [
            {
              name: "haproxy",
              image: HAPROXY_IMAGE,
              env: [fieldEnv("POD_NAMESPACE", "metadata.namespace"), env("CLUSTER_DOMAIN", "cluster.local")],
              ports: [
                { name: "http", containerPort: APP_PORT },
                { name: "stats", containerPort: STATS_PORT },
              ],
              resources: resources({ request: "500m", limit: "2" }, { request: "128Mi", limit: "512Mi" }),
              // The image runs as the unprivileged `haproxy` user and binds ports above 1024.
              securityContext: { ...restricted, runAsUser: 99, runAsGroup: 99 },
              readinessProbe: statsProbe(2, 2),
              livenessProbe: statsProbe(6, 10),
              volumeMounts: [{ name: "config", mountPath: CONFIG_DIR, readOnly: true }],
            },
            ...(stateful ? [lbSync()] : []),
          ],
          volumes: [{ name: "config", configMap: { name: "haproxy-config", items } }],
        },
      },
    },
  };
  const service = (svc: string, port: { name: string; port: number }): IService => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: svc, labels: labels(name) },
    spec: { selector: selector(name), ports: [{ ...port, targetPort: port.name }] },
  });
  return [
    configMap,
    deployment,
    service(SERVICE.haproxy, { name: "http", port: APP_PORT }),
    service(SERVICE.haproxyStats, { name: "stats", port: STATS_PORT }),
  ];
}
