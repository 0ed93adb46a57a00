import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IService } from "kubernetes-models/v1/Service";
import type { AppName } from "../../../harness/results/types.ts";
import { BACKEND, EMPTY_SHARD_MAP, haproxyConfig, SHARD_MAP } from "./haproxy-config.ts";
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
import { env, fieldEnv, postgresPasswordEnv, resources, restricted } from "./pods.ts";

const CONFIG_DIR = "/usr/local/etc/haproxy";

/**
 * The routing-table publisher (PLAN 9) beside HAProxy: it keeps the shard map equal to `shard_owner` in
 * PostgreSQL through the runtime API on the pod's loopback.
 * TODO(stateful-cluster): stateful-app/lb-sync/main.ts is being written on the stateful-cluster branch; until
 * it lands this container exits at once and restarts (HAProxy keeps balancing round-robin meanwhile).
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
    ],
    resources: resources({ request: "50m", limit: "250m" }, { request: "128Mi", limit: "256Mi" }),
    securityContext: { ...restricted, runAsUser: 1000, runAsGroup: 1000 },
  };
}

/**
 * HAProxy 2.6 in front of the app: the public Service (port 8080, the only one meant to leave the namespace)
 * and a stats Service (8404: stats page and Prometheus exporter). One replica, as in the harness: the runtime
 * state (shard map) is per process, and a second balancer would be a second thing to keep in step.
 */
export function haproxyObjects(app: AppName): Array<IConfigMap | IService | IDeployment> {
  const name = SERVICE.haproxy;
  const stateful = app === "stateful";
  const configMap: IConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "haproxy-config", labels: labels(name) },
    data: { "haproxy.cfg": haproxyConfig(app), ...(stateful ? { "shard-owner.map": EMPTY_SHARD_MAP } : {}) },
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
