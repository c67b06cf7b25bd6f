/** dist/ as the cluster tests see it: the files ArgoCD would apply, and a one-time apply of all of them. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { KubeObject } from '../../lib';
import { AS_ARGOCD, kubectl } from './kube';

const DIST = path.resolve(__dirname, '..', '..', 'dist');

/** One object of dist/ and the file it is in. */
export interface DistObject {
  readonly file: string;
  readonly object: KubeObject;
}

let cache: readonly DistObject[] | undefined;
/** Every object in dist/ with its file (read once per test file: dist/ does not change during a run). */
export function distObjects(): readonly DistObject[] {
  if (cache) return cache;
  const out: DistObject[] = [];
  for (const folder of fs.readdirSync(DIST).sort()) {
    for (const f of fs.readdirSync(path.join(DIST, folder)).sort()) {
      const file = path.join(DIST, folder, f);
      out.push({ file, object: parse(fs.readFileSync(file, 'utf8')) as KubeObject });
    }
  }
  cache = out;
  return out;
}

/** The objects of dist/ whose kind is one of `kinds`. */
export function distObjectsOf(kinds: readonly string[]): DistObject[] {
  return distObjects().filter((o) => kinds.includes(o.object.kind));
}

/** A test title for one object: `Kind namespace/name`. */
export function title(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/**
 * Admission webhooks of the rendered charts (ESO's, failurePolicy Fail): the test API server runs no pods, so
 * their backends can never answer and, installed, they would refuse every object they validate. They are
 * applied with a server-side dry run instead (schema, defaulting and admission of the configuration itself).
 */
export const ADMISSION_WEBHOOK_KINDS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

/** The dist/ files holding admission webhook configurations (see {@link ADMISSION_WEBHOOK_KINDS}). */
export function webhookFiles(): string[] {
  return distObjectsOf(ADMISSION_WEBHOOK_KINDS).map((o) => o.file);
}

/**
 * The apply order ArgoCD uses without waves: Namespaces, then other cluster-scoped objects, then the rest;
 * `baseline.homelab.dev`-independent so it also proves that nothing depends on a hidden order.
 */
export function applyOrder(): string[][] {
  const all = distObjects().filter((o) => !ADMISSION_WEBHOOK_KINDS.includes(o.object.kind));
  // The rendered charts' CRDs first (their own wave in ArgoCD): the charts' cluster-scoped custom resources
  // (e.g. trivy's ClusterComplianceReports) and the ClusterSecretStore need them served.
  const crds = all.filter((o) => o.object.kind === 'CustomResourceDefinition').map((o) => o.file);
  const ns = all.filter((o) => o.object.kind === 'Namespace').map((o) => o.file);
  const clusterRest = all.filter((o) => !['Namespace', 'CustomResourceDefinition'].includes(o.object.kind) && !o.object.metadata.namespace).map((o) => o.file);
  // One group per namespace, so each apply's Pod Security warnings belong to one namespace (see enforceOf).
  const namespaces = [...new Set(all.map((o) => o.object.metadata.namespace).filter((n): n is string => !!n))].sort();
  const namespaced = namespaces.map((n) => all.filter((o) => o.object.metadata.namespace === n).map((o) => o.file));
  return [crds, ns, clusterRest, ...namespaced].filter((g) => g.length);
}

/**
 * Server-side applies every group as ArgoCD's manager (waiting for CRDs to be served), then the admission
 * webhooks as a server-side dry run; returns kubectl's results.
 */
export function applyDist(): ReturnType<typeof kubectl>[] {
  const webhooks = webhookFiles();
  const dryRun = webhooks.length ? [kubectl(['apply', '--server-side', '--dry-run=server', AS_ARGOCD, ...webhooks.flatMap((f) => ['-f', f])])] : [];
  return [...applyOrder().map((files) => {
    const r = kubectl(['apply', '--server-side', AS_ARGOCD, ...files.flatMap((f) => ['-f', f])]);
    if (r.code === 0 && files.every((f) => f.includes(`${path.sep}_chart-`) && f.endsWith('.yaml') && /customresourcedefinition-/.test(f))) {
      const w = kubectl(['wait', '--for', 'condition=established', '--timeout', '60s', 'crd', '--all']);
      if (w.code !== 0) return w;
    }
    return r;
  }), ...dryRun];
}

let applied = false;
/** Applies dist/ once per test file (idempotent across files: server-side apply of the same content is a no-op). */
export function ensureDistApplied(): void {
  if (applied) return;
  for (const r of applyDist()) if (r.code !== 0) throw new Error(`applying dist/ failed:\n${r.stderr}`);
  applied = true;
}

/** The Pod Security enforce level dist/ gives the namespace of the objects in `files` (undefined: cluster-scoped). */
export function enforceOf(files: readonly string[]): string | undefined {
  const ns = distObjects().find((o) => o.file === files[0])?.object.metadata.namespace;
  return ns ? distObjects().find((o) => o.object.kind === 'Namespace' && o.object.metadata.name === ns)?.object.metadata.labels?.['pod-security.kubernetes.io/enforce'] : undefined;
}

/**
 * True when `stderr` holds only restricted-level Pod Security warnings: what a namespace that enforces
 * baseline (with its reason on the Namespace) and warns at restricted prints for the workloads it admits.
 */
export function onlyRestrictedWarnings(stderr: string): boolean {
  return stderr.split('\n').filter(Boolean).every((line) => /^Warning: would violate PodSecurity "restricted:v1\.28": /.test(line));
}

/**
 * True when `stderr` holds nothing but Pod Security warnings about hostPath volumes, the one exemption the
 * homelab declares (openclaw, enforce=privileged with warn=restricted). Any other warning is a finding.
 */
export function onlyDeclaredExemptionWarnings(stderr: string): boolean {
  return stderr
    .split('\n')
    .filter(Boolean)
    .every((line) => /^Warning: would violate PodSecurity "restricted:v1\.28": restricted volume types \(volumes? [^)]*"hostPath"\)$/.test(line));
}
