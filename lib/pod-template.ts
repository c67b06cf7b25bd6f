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
 * The Pod a workload object would create (any kind `podTemplateOf` reads, CronJobs included): its pod
 * template's metadata and spec (a StatefulSet's claim templates as the volumes of its first pod), named like the
 * workload, in its namespace. Pod Security admission judges
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
    spec: withClaimVolumes(workload, structuredClone(template.spec)),
  };
}

/** A StatefulSet's pods get one volume per `volumeClaimTemplates` entry, the claim `<template>-<name>-<ordinal>` (ordinal 0 here). */
function withClaimVolumes(workload: KubeObject, spec: any): any {
  const templates: any[] = workload.kind === 'StatefulSet' ? (workload as any).spec?.volumeClaimTemplates ?? [] : [];
  if (!templates.length) return spec;
  const claims = templates.map((t) => ({ name: t.metadata.name, persistentVolumeClaim: { claimName: `${t.metadata.name}-${workload.metadata.name}-0` } }));
  return { ...spec, volumes: [...(spec.volumes ?? []), ...claims] };
}

/** The Secrets, PersistentVolumeClaims and ConfigMaps a pod spec reads, by name (its own namespace). */
export interface PodReferences {
  readonly secrets: readonly string[];
  readonly claims: readonly string[];
  readonly configMaps: readonly string[];
}

/**
 * What a pod spec refers to by name: Secrets (envFrom, env valueFrom, secret and projected volumes, image
 * pull secrets), PersistentVolumeClaims and ConfigMaps. Optional references (`optional: true`) count too: a
 * typo there is silently an empty value at run time. Sorted, without duplicates.
 */
export function podReferences(podSpec: any): PodReferences {
  const secrets = new Set<string>();
  const claims = new Set<string>();
  const configMaps = new Set<string>();
  const containers: any[] = [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? []), ...(podSpec?.ephemeralContainers ?? [])];
  for (const c of containers) {
    for (const e of c.envFrom ?? []) {
      if (e.secretRef?.name) secrets.add(e.secretRef.name);
      if (e.configMapRef?.name) configMaps.add(e.configMapRef.name);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
    }
  }
  for (const v of podSpec?.volumes ?? []) {
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.persistentVolumeClaim?.claimName) claims.add(v.persistentVolumeClaim.claimName);
    for (const s of v.projected?.sources ?? []) {
      if (s.secret?.name) secrets.add(s.secret.name);
      if (s.configMap?.name) configMaps.add(s.configMap.name);
    }
  }
  for (const s of podSpec?.imagePullSecrets ?? []) if (s?.name) secrets.add(s.name);
  const sorted = (set: Set<string>) => [...set].sort();
  return { secrets: sorted(secrets), claims: sorted(claims), configMaps: sorted(configMaps) };
}
