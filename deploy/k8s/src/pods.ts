import type { IContainer } from "kubernetes-models/v1/Container";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import { APP_IMAGE, APP_PORT, METRICS_PORT, SECRETS } from "./meta.ts";

/** A literal env var. */
export const env = (name: string, value: string): IEnvVar => ({ name, value });

/** An env var from a field of the pod (metadata.name, status.podIP, ...): the pod's own identity. */
export const fieldEnv = (name: string, fieldPath: string): IEnvVar => ({
  name,
  valueFrom: { fieldRef: { fieldPath } },
});

/** An env var from a Secret the user created. */
export const secretEnv = (name: string, secret: { name: string; key: string }): IEnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret.name, key: secret.key } },
});

/** POSTGRES_PASSWORD first: DATABASE_URL below it interpolates `$(POSTGRES_PASSWORD)`. */
export const postgresPasswordEnv = (): IEnvVar => secretEnv("POSTGRES_PASSWORD", SECRETS.postgres);

export function resources(cpu: { request: string; limit: string }, memory: { request: string; limit: string }) {
  return {
    requests: { cpu: cpu.request, memory: memory.request },
    limits: { cpu: cpu.limit, memory: memory.limit },
  } satisfies IResourceRequirements;
}

/**
 * GET /health, as HAProxy checks it. Readiness takes a pod out of the Services at once; liveness restarts only
 * a process that stopped answering for a minute (an overloaded node answers late, and killing it would turn
 * overload into an outage); startup covers migrations on first start.
 */
export function healthProbes(port: number | string = "http") {
  const http = { path: "/health", port };
  const readinessProbe: IProbe = { httpGet: http, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 2 };
  const livenessProbe: IProbe = { httpGet: http, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 };
  const startupProbe: IProbe = { httpGet: http, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 90 };
  return { readinessProbe, livenessProbe, startupProbe };
}

/** No root, no privilege escalation, no capabilities: the app image runs as `node` (uid 1000). */
export const restricted = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
} satisfies IContainer["securityContext"];

/**
 * An app process: `deploy/entrypoint.sh <entry>` (the image's ENTRYPOINT), the env the harness sets
 * (harness/stack/apps.ts), the API port named `http`, /health probes, and with `metrics` `/metrics` on a port
 * of its own named `metrics` (METRICS_PORT), off the API port HAProxy forwards to.
 */
export function appContainer(o: {
  name: string;
  entry: string;
  env: IEnvVar[];
  resources: IResourceRequirements;
  probes?: boolean;
  metrics?: boolean;
}): IContainer {
  const metrics = o.metrics === true;
  return {
    name: o.name,
    image: APP_IMAGE,
    args: [o.entry],
    env: [
      env("HOST", "0.0.0.0"),
      env("PORT", String(APP_PORT)),
      ...(metrics ? [env("METRICS_PORT", String(METRICS_PORT))] : []),
      env("LOG_LEVEL", "warn"),
      ...o.env,
    ],
    ports: [
      { name: "http", containerPort: APP_PORT },
      ...(metrics ? [{ name: "metrics", containerPort: METRICS_PORT }] : []),
    ],
    resources: o.resources,
    securityContext: { ...restricted, runAsUser: 1000, runAsGroup: 1000 },
    ...(o.probes === false ? {} : healthProbes()),
  };
}
