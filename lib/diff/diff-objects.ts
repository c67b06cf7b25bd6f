import { isDeepStrictEqual } from 'util';
import { KubeObject, objectId } from '../synth/manifest';
import { appProjectCheck } from './app-project';
import { argocdAccessCheck } from './argocd-access';
import { exemptionCheck } from './exemptions';
import { externalSecretCheck } from './external-secrets';
import { Check, DiffFinding, Impact, describeObject, widening } from './finding';
import { networkPolicyCheck } from './network-policy';
import { podSecurityCheck } from './pod-security';
import { rbacCheck, rbacScopeFindings } from './rbac';
import { serviceCheck } from './service';
import { syncOptionsCheck } from './sync-options';
import { versionCheck } from './versions';
import { workloadCheck } from './workload';

/** One object present on both sides whose content differs. */
export interface ChangedObject {
  /** `Kind namespace/name`. */
  readonly object: string;
  /** The fields that differ, e.g. `spec.ingress[0].ports[1]` (at most `MAX_PATHS`). */
  readonly paths: readonly string[];
}

/** The object-level comparison of two synths. */
export interface ObjectDiff {
  /** `Kind namespace/name` of objects only in `after`, sorted. */
  readonly added: readonly string[];
  /** Objects only in `before`: ArgoCD prunes them on the next sync. */
  readonly removed: readonly string[];
  readonly changed: readonly ChangedObject[];
  /** How many objects are identical (as data: key order and formatting do not count). */
  readonly unchanged: number;
  /** Security-relevant changes, widenings first. */
  readonly findings: readonly DiffFinding[];
}

/** Exit codes of `npm run diff`, so CI can require an acknowledgement for a widening. */
export enum DiffExitCode {
  NO_CHANGE = 0,
  CHANGES = 1,
  SECURITY_WIDENING = 2,
}

const MAX_PATHS = 8;
const CHECKS: readonly Check[] = [
  rbacCheck, networkPolicyCheck, podSecurityCheck, workloadCheck, appProjectCheck, exemptionCheck, versionCheck,
  serviceCheck, syncOptionsCheck, externalSecretCheck, argocdAccessCheck,
];

/**
 * Compares two lists of synthesized objects by identity (kind, namespace, name), not by file, and notes
 * every security-relevant change. Pure: the caller reads the objects (from `dist/`, from git).
 */
export function diffObjects(before: readonly KubeObject[], after: readonly KubeObject[]): ObjectDiff {
  const was = byId(before, 'before');
  const now = byId(after, 'after');
  const ids = [...new Set([...was.keys(), ...now.keys()])].sort();
  const added: KubeObject[] = [];
  const removed: KubeObject[] = [];
  const changed: ChangedObject[] = [];
  const findings: DiffFinding[] = [];
  let unchanged = 0;
  for (const id of ids) {
    const [b, a] = [was.get(id), now.get(id)];
    if (b && a && isDeepStrictEqual(b, a)) {
      unchanged++;
      continue;
    }
    const object = describeObject((a ?? b)!);
    for (const check of CHECKS) for (const note of check(b, a)) findings.push({ object, ...note });
    if (!b) added.push(a!);
    else if (!a) {
      removed.push(b);
      const what = b.kind === 'Namespace' ? ' together with everything in the namespace' : '';
      findings.push({ object, ...widening('prune', `removed: ArgoCD prunes it from the cluster${what}`) });
    } else changed.push({ object, paths: differingPaths(b, a, '').slice(0, MAX_PATHS) });
  }
  findings.push(...rbacScopeFindings(removed, added));
  const rank = (f: DiffFinding): number => (f.impact === Impact.WIDENING ? 0 : 1);
  return {
    added: added.map(describeObject),
    removed: removed.map(describeObject),
    changed,
    unchanged,
    findings: findings.sort((x, y) => rank(x) - rank(y) || (x.object < y.object ? -1 : x.object > y.object ? 1 : 0)),
  };
}

/** 2 when anything widened, 1 for any other difference, 0 when the objects are identical. */
export function diffExitCode(d: ObjectDiff): DiffExitCode {
  if (d.findings.some((f) => f.impact === Impact.WIDENING)) return DiffExitCode.SECURITY_WIDENING;
  return d.added.length || d.removed.length || d.changed.length ? DiffExitCode.CHANGES : DiffExitCode.NO_CHANGE;
}

function byId(objects: readonly KubeObject[], side: string): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const o of objects) {
    const id = objectId(o);
    if (out.has(id)) throw new Error(`${side}: two objects are ${describeObject(o)}; an identity must be unique`);
    out.set(id, o);
  }
  return out;
}

/** Dotted paths of the leaves that differ (whole arrays when their lengths differ). */
export function differingPaths(a: unknown, b: unknown, path: string): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((e, i) => differingPaths(e, b[i], `${path}[${i}]`));
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differingPaths(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return [path || '(root)'];
}
