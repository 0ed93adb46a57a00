/**
 * The k6-operator's TestRun (k6.io/v1alpha1), checked offline. kubernetes-models knows only Kubernetes' own
 * types, so the CRD's shape is written here from the operator's API reference (docs/crd-generated.md of
 * grafana/k6-operator: TestRun.spec, .script, .runner/.initializer/.starter): unknown keys are refused at every
 * level the CRD defines, and the Kubernetes types it embeds (env, volumes, resources, containers, ...) are
 * validated against the Kubernetes schemas by kubernetes-models.
 */
import { Affinity } from "kubernetes-models/v1/Affinity";
import { Container } from "kubernetes-models/v1/Container";
import { ContainerPort } from "kubernetes-models/v1/ContainerPort";
import { EnvFromSource } from "kubernetes-models/v1/EnvFromSource";
import { EnvVar } from "kubernetes-models/v1/EnvVar";
import { LocalObjectReference } from "kubernetes-models/v1/LocalObjectReference";
import { PodSecurityContext } from "kubernetes-models/v1/PodSecurityContext";
import { Probe } from "kubernetes-models/v1/Probe";
import { ResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import { SecurityContext } from "kubernetes-models/v1/SecurityContext";
import { Toleration } from "kubernetes-models/v1/Toleration";
import { TopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import { Volume } from "kubernetes-models/v1/Volume";
import { VolumeMount } from "kubernetes-models/v1/VolumeMount";
import { z } from "zod";

interface Validating {
  validate(): void;
}

/** A value of an embedded Kubernetes type, validated by kubernetes-models against the Kubernetes schema. */
function k8s<T>(Model: new (data: T) => Validating, what: string) {
  return z.custom<T>((value) => {
    try {
      new Model(value as T).validate();
      return true;
    } catch {
      return false;
    }
  }, `not a valid ${what}`);
}

const int32 = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1);
/** The CRD keeps a few booleans as strings ("true"/"false"). */
const boolString = z.enum(["true", "false"]);
const stringMap = z.record(z.string(), z.string());
const dnsName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a DNS-1123 label")
  .max(63);

/** TestRun.spec.runner / .initializer / .starter: the pods the operator creates. */
const PodSpec = z.strictObject({
  affinity: k8s(Affinity, "Affinity").optional(),
  automountServiceAccountToken: boolString.optional(),
  containerSecurityContext: k8s(SecurityContext, "SecurityContext").optional(),
  disabled: z.boolean().optional(),
  env: z.array(k8s(EnvVar, "EnvVar")).optional(),
  envFrom: z.array(k8s(EnvFromSource, "EnvFromSource")).optional(),
  image: z.string().min(1).optional(),
  imagePullPolicy: z.enum(["Always", "IfNotPresent", "Never"]).optional(),
  imagePullSecrets: z.array(k8s(LocalObjectReference, "LocalObjectReference")).optional(),
  initContainers: z.array(k8s(Container, "Container")).optional(),
  livenessProbe: k8s(Probe, "Probe").optional(),
  metadata: z.strictObject({ labels: stringMap.optional(), annotations: stringMap.optional() }).optional(),
  nodeSelector: stringMap.optional(),
  priorityClassName: z.string().optional(),
  readinessProbe: k8s(Probe, "Probe").optional(),
  resources: k8s(ResourceRequirements, "ResourceRequirements").optional(),
  schedulerName: z.string().optional(),
  securityContext: k8s(PodSecurityContext, "PodSecurityContext").optional(),
  serviceAccountName: z.string().optional(),
  tolerations: z.array(k8s(Toleration, "Toleration")).optional(),
  topologySpreadConstraints: z.array(k8s(TopologySpreadConstraint, "TopologySpreadConstraint")).optional(),
  volumeMounts: z.array(k8s(VolumeMount, "VolumeMount")).optional(),
  volumes: z.array(k8s(Volume, "Volume")).optional(),
});

const Script = z
  .strictObject({
    configMap: z.strictObject({ name: dnsName, file: z.string().min(1).optional() }).optional(),
    volumeClaim: z
      .strictObject({ name: z.string().min(1), file: z.string().min(1).optional(), readOnly: z.boolean().optional() })
      .optional(),
    localFile: z.string().min(1).optional(),
  })
  .refine((s) => [s.configMap, s.volumeClaim, s.localFile].filter((x) => x !== undefined).length === 1, {
    message: "script needs exactly one of configMap, volumeClaim, localFile",
  });

export const TestRunSchema = z.strictObject({
  apiVersion: z.literal("k6.io/v1alpha1"),
  kind: z.literal("TestRun"),
  metadata: z.object({
    name: dnsName,
    namespace: dnsName.optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  }),
  spec: z.strictObject({
    parallelism: int32.min(1),
    script: Script,
    args: z.array(z.string()).optional(),
    arguments: z.string().optional(),
    cleanup: z.literal("post").optional(),
    initializer: PodSpec.optional(),
    paused: boolString.optional(),
    ports: z.array(k8s(ContainerPort, "ContainerPort")).optional(),
    quiet: boolString.optional(),
    runner: PodSpec.optional(),
    separate: z.boolean().optional(),
    starter: PodSpec.optional(),
  }),
});

export type TestRun = z.input<typeof TestRunSchema>;
