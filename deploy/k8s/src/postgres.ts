import { readFileSync } from "node:fs";
import type { IStatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IService } from "kubernetes-models/v1/Service";
import { DB_USER, labels, POSTGRES_IMAGE, POSTGRES_PORT, SERVICE, selector } from "./meta.ts";
import { env, postgresPasswordEnv, resources } from "./pods.ts";

/** The same init SQL as compose (one database per app, pg_stat_statements in each), read from deploy/. */
const INIT_SQL = new URL("../../postgres-init.sql", import.meta.url);

const ready = (failureThreshold: number, periodSeconds: number) => ({
  // pg_isready only checks that the server accepts connections: no credentials needed.
  exec: { command: ["pg_isready", "-h", "127.0.0.1", "-U", DB_USER, "-d", DB_USER] },
  periodSeconds,
  timeoutSeconds: 3,
  failureThreshold,
});

/**
 * PostgreSQL 15 as the harness runs it: durable (fsync and synchronous commit are the defaults), pg_stat_statements
 * preloaded, max_connections 300. Password authentication (scram-sha-256) for every connection, TCP and the local
 * socket alike, from the `statebench-postgres` Secret. A StatefulSet with a
 * volume claim, so a rescheduled pod keeps its data.
 */
export function postgresObjects(): [IConfigMap, IService, IStatefulSet] {
  const name = SERVICE.postgres;
  const configMap: IConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "postgres-init", labels: labels(name) },
    data: { "10-statebench.sql": readFileSync(INIT_SQL, "utf8") },
  };
  const service: IService = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, labels: labels(name) },
    spec: { selector: selector(name), ports: [{ name: "postgres", port: POSTGRES_PORT, targetPort: "postgres" }] },
  };
  const statefulSet: IStatefulSet = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, labels: labels(name) },
    spec: {
      serviceName: name,
      replicas: 1,
      selector: { matchLabels: selector(name) },
      template: {
        metadata: { labels: labels(name, "postgres") },
        spec: {
          // A fast shutdown writes a checkpoint; give it time before SIGKILL.
          terminationGracePeriodSeconds: 60,
          securityContext: { fsGroup: 999 },
          containers: [
            {
              name: "postgres",
              image: POSTGRES_IMAGE,
              args: ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "max_connections=300"],
              env: [
                env("POSTGRES_USER", DB_USER),
                postgresPasswordEnv(),
                env("POSTGRES_DB", DB_USER),
                // No trust anywhere: every client gives the password, over TCP and on the container's own socket
                // (the image's initdb trusts local connections otherwise), as compose.yaml and the harness do.
                env("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256"),
                env("POSTGRES_INITDB_ARGS", "--auth-local=scram-sha-256 --auth-host=scram-sha-256"),
                // A subfolder: a fresh volume's root may hold lost+found, which initdb refuses.
                env("PGDATA", "/var/lib/postgresql/data/pgdata"),
              ],
              ports: [{ name: "postgres", containerPort: POSTGRES_PORT }],
              resources: resources({ request: "1", limit: "2" }, { request: "1Gi", limit: "4Gi" }),
              readinessProbe: ready(3, 2),
              livenessProbe: ready(6, 10),
              volumeMounts: [
                { name: "data", mountPath: "/var/lib/postgresql/data" },
                { name: "init", mountPath: "/docker-entrypoint-initdb.d", readOnly: true },
              ],
            },
          ],
          volumes: [{ name: "init", configMap: { name: "postgres-init" } }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } },
        },
      ],
    },
  };
  return [configMap, service, statefulSet];
}
