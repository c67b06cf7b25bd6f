import { KubeObject } from './synth/manifest';

/** The kinds whose `spec.template` is a pod template. */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'];

/** True for the kinds that make pods: those with a pod template, CronJob, and Pod itself. */
export function makesPods(kind: string): boolean {
  return kind === 'Pod' || kind === 'CronJob' || WORKLOAD_KINDS.includes(kind);
}

/** A pod template as synthesized: the pod's metadata and spec. */
export interface PodTemplate {
  readonly metadata?: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec?: any;
}

/**
 * The pod template of any object that makes pods: `spec.template` of a workload, a CronJob's job
 * template, or a Pod itself. Undefined for other kinds.
 */
export function podTemplateOf(o: KubeObject): PodTemplate | undefined {
  const spec = (o as any).spec;
  if (o.kind === 'Pod') return spec ? { metadata: o.metadata, spec } : undefined;
  if (o.kind === 'CronJob') return spec?.jobTemplate?.spec?.template;
  return WORKLOAD_KINDS.includes(o.kind) ? spec?.template : undefined;
}

/**
 * The Pod a workload object would create (any kind {@link podTemplateOf} reads, CronJobs included): its pod
 * template's metadata and spec, named like the workload, in its namespace. Pod Security admission judges
 * exactly this, so a server-side dry-run of the result (`kubectl apply --dry-run=server`) tells whether the
 * workload's pods will be admitted.
 */
export function podFromTemplate(workload: KubeObject): KubeObject {
  const template = podTemplateOf(workload);
  if (!template?.spec) {
    throw new Error(
      `podFromTemplate: ${workload.kind} ${workload.metadata.name} has no pod template. ` +
        `Allowed: ${[...WORKLOAD_KINDS, 'CronJob', 'Pod'].join(', ')}. Fix: pass a workload object (e.g. a synthesized Deployment)`,
    );
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: workload.metadata.name,
      namespace: workload.metadata.namespace,
      labels: template.metadata?.labels,
      annotations: template.metadata?.annotations,
    },
    spec: structuredClone(template.spec),
  };
}
