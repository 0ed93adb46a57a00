/**
 * Names every manifest shares: labels, images, ports, Secrets. One place, so a Service selector, a DNS name in
 * haproxy.cfg and a secretKeyRef cannot drift apart (the validation test checks they still meet).
 */
import type { AppName } from "../../../harness/results/types.ts";

/** The app image (deploy/Dockerfile). Kustomize's `images:` entry in each overlay sets the real registry/tag. */
export const APP_IMAGE = "statebench-app";
export const APP_IMAGE_TAG = "local";
/** Same server versions as compose.yaml. */
export const POSTGRES_IMAGE = "postgres:15";
export const REDIS_IMAGE = "redis:7";
export const HAPROXY_IMAGE = "haproxy:2.6";
/** The k6 image of compose.yaml; a TestRun flag picks another. */
export const K6_IMAGE = "grafana/k6:0.48.0";

/** Every app process listens on this port (PORT), HAProxy's public frontend too. */
export const APP_PORT = 8080;
/**
 * Every app process serves `/metrics` here (METRICS_PORT), never on APP_PORT: HAProxy forwards APP_PORT only, and
 * scrapers reach each pod through the headless app-metrics Service. 9464: the Prometheus exporter convention.
 */
export const METRICS_PORT = 9464;
/** HAProxy's stats page and Prometheus exporter: a separate port and Service, never the public one. */
export const STATS_PORT = 8404;
/** HAProxy's runtime API, pod-local (the lb-sync sidecar only): bound to 127.0.0.1, exposed by no Service. */
export const RUNTIME_ADDR = "127.0.0.1:9999";
export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;

/** Secrets the user creates (README, "Run it on your cluster"); no credential is ever committed. */
export const SECRETS = {
  postgres: { name: "statebench-postgres", key: "password" },
  cluster: { name: "statebench-cluster", key: "secret" },
} as const;

export const DB_USER = "statebench";

/** The namespace of each overlay (kustomize sets it on every object). */
export const NAMESPACE: Record<AppName, string> = {
  stateless: "statebench-stateless",
  stateful: "statebench-stateful",
};

/** Service names, also the DNS names the apps and haproxy.cfg use. */
export const SERVICE = {
  postgres: "postgres",
  redis: "redis",
  haproxy: "haproxy",
  haproxyStats: "haproxy-stats",
  statelessApi: "stateless-api",
  statefulNodes: "stateful-nodes",
  appMetrics: "app-metrics",
} as const;

/** Standard labels (app.kubernetes.io/*): `component` tells the processes apart, `part-of` the project. */
export function labels(component: string, role?: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": component,
    "app.kubernetes.io/part-of": "statebench",
    ...(role ? { "statebench.dev/role": role } : {}),
  };
}

/** Labels of an app process: the component's, plus the app, which the metrics Service selects. */
export function appLabels(component: string, role: string, app: AppName): Record<string, string> {
  return { ...labels(component, role), "statebench.dev/app": app };
}

/** The selector half of `labels` (name only: stable across label additions). */
export function selector(component: string): Record<string, string> {
  return { "app.kubernetes.io/name": component };
}

/** `postgres://statebench:$(POSTGRES_PASSWORD)@postgres:5432/<db>`: Kubernetes expands `$(VAR)` from earlier env. */
export function databaseUrl(db: AppName): string {
  return `postgres://${DB_USER}:$(POSTGRES_PASSWORD)@${SERVICE.postgres}:${POSTGRES_PORT}/${db}`;
}
