import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AggregateBaselineError } from '../errors';
import { replaceDirectory } from './atomic-dir';
import { fastYaml, libraryYaml } from './fast-yaml';
import { KubeObject, Manifest } from './manifest';
import { isClusterScopedObject } from './scope';

/** The `dist/` folder of cluster-scoped objects. A leading `_` can never be a namespace name. */
export const CLUSTER_FOLDER = '_cluster';

const folderOverrides = new WeakMap<IConstruct, string>();

/**
 * Sends every object under `scope` to `folder` instead of its namespace's folder (e.g. ArgoCD's root
 * Applications). The folder name must not be a namespace name and must not start with `_cluster`.
 */
export function assignFolder(scope: IConstruct, folder: string): void {
  folderOverrides.set(scope, folder);
}

/**
 * Checks the whole construct tree once and renders every object. Throws one error that lists every
 * problem with its construct path, so the operator sees them all at once.
 */
export function collectManifests(app: App): Manifest[] {
  const errors: string[] = [];
  const all = app.node.findAll();
  for (const c of all) {
    // The app has no path: a validation of the whole tree names the constructs its messages are about.
    for (const message of c.node.validate()) errors.push(c.node.path ? `[${c.node.path}] ${message}` : message);
  }
  if (errors.length) throw new AggregateBaselineError(errors);

  const manifests: Manifest[] = [];
  const seen = new Map<string, string>();
  for (const c of all) {
    if (!ApiObject.isApiObject(c)) continue;
    const object = c.toJson() as KubeObject;
    const where = route(c, object, errors);
    if (!where) continue;
    const key = `${where.folder}/${where.file}`;
    const other = seen.get(key);
    if (other) {
      errors.push(
        `[${c.node.path}] ${object.kind} "${object.metadata.name}" would overwrite dist/${key} written by ${other}. ` +
          'Allowed: one object per kind, namespace and name. Fix: rename one of them.',
      );
      continue;
    }
    seen.set(key, c.node.path);
    manifests.push({ constructPath: c.node.path, ...where, object });
  }
  if (errors.length) throw new AggregateBaselineError(errors);
  return manifests.sort((a, b) => (`${a.folder}/${a.file}` < `${b.folder}/${b.file}` ? -1 : 1));
}

/** Renders one object as YAML, the same bytes every time, read back identically by YAML 1.1 and 1.2 parsers. */
export function toYaml(object: KubeObject): string {
  return fastYaml(object) ?? libraryYaml(object);
}

/**
 * Writes `manifests` to `outdir` (one folder per ArgoCD Application, one file per object), replacing
 * everything there atomically: stale files disappear, and a failure leaves the previous tree as it was.
 */
export function writeManifests(outdir: string, manifests: readonly Manifest[]): void {
  replaceDirectory(outdir, new Map(manifests.map((m) => [`${m.folder}/${m.file}`, toYaml(m.object)])));
}

function route(c: IConstruct, o: KubeObject, errors: string[]): { folder: string; file: string } | undefined {
  const file = `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`;
  const ns = o.metadata.namespace;
  const override = folderFor(c);
  if (isClusterScopedObject(c, o.kind)) {
    if (ns) {
      errors.push(`[${c.node.path}] cluster-scoped ${o.kind} "${o.metadata.name}" has namespace "${ns}". Allowed: no namespace on ${o.kind}. Fix: drop metadata.namespace.`);
      return undefined;
    }
    return { folder: override ?? CLUSTER_FOLDER, file };
  }
  if (!ns) {
    errors.push(`[${c.node.path}] ${o.kind} "${o.metadata.name}" has no namespace. Allowed: an explicit metadata.namespace on every namespaced object (ArgoCD would otherwise pick its destination's). Fix: set metadata.namespace.`);
    return undefined;
  }
  return { folder: override ?? ns, file: override ? `${ns}-${file}` : file };
}

function folderFor(c: IConstruct): string | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
    const f = folderOverrides.get(s);
    if (f) return f;
  }
  return undefined;
}
