import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import { APP_PORT, SERVICE, selector } from "./meta.ts";

const OURS = { "app.kubernetes.io/part-of": "statebench" };

export function namespaceObject(name: string): INamespace {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: OURS } };
}

/**
 * Off loopback, only the balancer's public port is meant to be reachable (issue 16 item 4): every statebench pod
 * accepts connections from pods of its own namespace only (peers, HAProxy, the prepare Job, k6 runners), and
 * HAProxy's public port from anywhere. k6's own pods are left alone: the k6-operator's controller, in its own
 * namespace, talks to the runners. Enforced where the cluster's network plugin implements NetworkPolicy.
 */
export function networkPolicies(): INetworkPolicy[] {
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "statebench-same-namespace", labels: OURS },
      spec: {
        podSelector: { matchLabels: OURS },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: {} }] }],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "statebench-public-lb", labels: OURS },
      spec: {
        podSelector: { matchLabels: selector(SERVICE.haproxy) },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ port: APP_PORT, protocol: "TCP" }] }],
      },
    },
  ];
}
