import { KubeObject } from '../synth/manifest';

/** The kinds whose `spec.template` is a pod template. */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/**
 * The Pod a workload object would create: its pod template's metadata and spec, named like the workload,
 * in its namespace. Pod Security admission judges exactly this, so a server-side dry-run of the result
 * (`kubectl apply --dry-run=server`) tells whether the workload's pods will be admitted.
 */
export function podFromTemplate(workload: KubeObject): KubeObject {
  const template = (workload as any).spec?.template;
  if (!WORKLOAD_KINDS.includes(workload.kind) || !template?.spec) {
    throw new Error(
      `podFromTemplate: ${workload.kind} ${workload.metadata.name} has no pod template. ` +
        `Allowed: ${WORKLOAD_KINDS.join(', ')}. Fix: pass a workload object (e.g. a synthesized Deployment)`,
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
