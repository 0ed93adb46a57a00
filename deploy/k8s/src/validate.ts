import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Pod } from "kubernetes-models/v1/Pod";
import { Service } from "kubernetes-models/v1/Service";
import { z } from "zod";
import { TestRunSchema } from "./testrun-schema.ts";

interface Validating {
  validate(): void;
}

/** The Kubernetes kinds statebench's manifests use, by `apiVersion/kind`, as kubernetes-models classes. */
const MODELS: Record<string, new (data: never) => Validating> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "v1/Pod": Pod,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "batch/v1/Job": Job,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

/** The subset of kustomize's Kustomization the overlays use (anything else would need a real kustomize to check). */
export const KustomizationSchema = z.strictObject({
  apiVersion: z.literal("kustomize.config.k8s.io/v1beta1"),
  kind: z.literal("Kustomization"),
  namespace: z.string().optional(),
  resources: z.array(z.string().min(1)).min(1),
  images: z
    .array(z.strictObject({ name: z.string().min(1), newName: z.string().optional(), newTag: z.string().optional() }))
    .optional(),
});

const DNS_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Problems of one object (empty when valid): the Kubernetes JSON schema through kubernetes-models, the
 * TestRun CRD through its zod schema, a Kustomization through the subset above, and DNS-1123 names, which
 * the JSON schema does not check.
 */
export function validateObject(obj: unknown): string[] {
  const o = obj as { apiVersion?: string; kind?: string; metadata?: { name?: string } };
  const key = `${o.apiVersion}/${o.kind}`;
  const who = `${o.kind ?? "?"} ${o.metadata?.name ?? ""}`.trim();
  const problems: string[] = [];
  const zodProblems = (r: { success: boolean; error?: z.ZodError }) =>
    r.success ? [] : (r.error?.issues ?? []).map((i) => `${who}: ${i.path.join(".")}: ${i.message}`);
  if (o.kind === "Kustomization") return zodProblems(KustomizationSchema.safeParse(obj));
  if (key === "k6.io/v1alpha1/TestRun") problems.push(...zodProblems(TestRunSchema.safeParse(obj)));
  else {
    const Model = MODELS[key];
    if (!Model) return [`${who}: no schema for ${key}`];
    try {
      new Model(obj as never).validate();
    } catch (err) {
      problems.push(`${who}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const name = o.metadata?.name ?? "";
  if (!DNS_1123.test(name) || name.length > 63)
    problems.push(`${who}: metadata.name "${name}" is not a DNS-1123 label`);
  return problems;
}

/** Throws listing every problem of every object. */
export function assertValid(objects: readonly unknown[]): void {
  const problems = objects.flatMap(validateObject);
  if (problems.length > 0) throw new Error(`invalid manifests:\n  ${problems.join("\n  ")}`);
}
