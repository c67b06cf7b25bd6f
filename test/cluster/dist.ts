/** dist/ as the cluster tests see it: the files ArgoCD would apply, and a one-time apply of all of them. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { KubeObject } from '../../lib';
import { kubectl } from './kube';

const DIST = path.resolve(__dirname, '..', '..', 'dist');

/** Every object in dist/ with its file. */
export function distObjects(): { file: string; object: KubeObject }[] {
  const out: { file: string; object: KubeObject }[] = [];
  for (const folder of fs.readdirSync(DIST).sort()) {
    for (const f of fs.readdirSync(path.join(DIST, folder)).sort()) {
      const file = path.join(DIST, folder, f);
      out.push({ file, object: parse(fs.readFileSync(file, 'utf8')) as KubeObject });
    }
  }
  return out;
}

/**
 * The apply order ArgoCD uses without waves: Namespaces, then other cluster-scoped objects, then the rest;
 * `baseline.homelab.dev`-independent so it also proves that nothing depends on a hidden order.
 */
export function applyOrder(): string[][] {
  const all = distObjects();
  const ns = all.filter((o) => o.object.kind === 'Namespace').map((o) => o.file);
  const clusterRest = all.filter((o) => o.object.kind !== 'Namespace' && !o.object.metadata.namespace).map((o) => o.file);
  const namespaced = all.filter((o) => o.object.metadata.namespace).map((o) => o.file);
  return [ns, clusterRest, namespaced].filter((g) => g.length);
}

/** Server-side applies every group as ArgoCD's manager; returns kubectl's results. */
export function applyDist(): ReturnType<typeof kubectl>[] {
  return applyOrder().map((files) =>
    kubectl(['apply', '--server-side', '--field-manager=argocd-controller', ...files.flatMap((f) => ['-f', f])]),
  );
}

let applied = false;
/** Applies dist/ once per test file (idempotent across files: server-side apply of the same content is a no-op). */
export function ensureDistApplied(): void {
  if (applied) return;
  for (const r of applyDist()) if (r.code !== 0) throw new Error(`applying dist/ failed:\n${r.stderr}`);
  applied = true;
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
