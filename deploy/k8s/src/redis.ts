import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IService } from "kubernetes-models/v1/Service";
import { labels, REDIS_IMAGE, REDIS_PORT, SERVICE, selector } from "./meta.ts";
import { resources } from "./pods.ts";

/**
 * Redis 7 without persistence, as the harness runs it (the stateless app's durability is PostgreSQL's): a
 * Deployment, since a restarted Redis starts empty anyway. Reachable only inside the namespace (NetworkPolicy).
 */
export function redisObjects(): [IService, IDeployment] {
  const name = SERVICE.redis;
  const probe = (failureThreshold: number, periodSeconds: number) => ({
    exec: { command: ["redis-cli", "ping"] },
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold,
  });
  return [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, labels: labels(name) },
      spec: { selector: selector(name), ports: [{ name: "redis", port: REDIS_PORT, targetPort: "redis" }] },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, labels: labels(name) },
      spec: {
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: selector(name) },
        template: {
          metadata: { labels: labels(name, "redis") },
          spec: {
            containers: [
              {
                name: "redis",
                image: REDIS_IMAGE,
                args: ["redis-server", "--save", "", "--appendonly", "no", "--maxclients", "10000"],
                ports: [{ name: "redis", containerPort: REDIS_PORT }],
                resources: resources({ request: "1", limit: "1" }, { request: "512Mi", limit: "2Gi" }),
                readinessProbe: probe(3, 2),
                livenessProbe: probe(6, 10),
              },
            ],
          },
        },
      },
    },
  ];
}
