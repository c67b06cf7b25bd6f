import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeObject, objectId } from '../synth/manifest';
import { isClusterScoped } from '../synth/scope';

/** One object read from a manifest file, with the file it came from (for messages). */
export interface SourcedObject {
  readonly object: KubeObject;
  /** The file, as given (joined to the folder read). */
  readonly file: string;
}

/** Input that cannot be compared: the file and why. The adopt command exits 3 with it. */
export class ManifestInputError extends Error {
  constructor(
    /** The file that cannot be read. */
    public readonly file: string,
    /** Why, with the fix. */
    public readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ManifestInputError';
  }
}

/** Options of {@link readManifests}. */
export interface ReadManifestsOptions {
  /**
   * The namespace of namespaced objects that name none, as `kubectl apply -n` would put them.
   * @default 'default' (kubectl's without `-n` and a context namespace)
   */
  readonly namespace?: string;
}

/**
 * Every Kubernetes object under `root` (a folder, read recursively in name order, or one file): plain YAML,
 * multi-document files, `kind: List` documents (`kubectl get -o yaml`) and `kubectl kustomize` output. Empty
 * documents are skipped. Throws {@link ManifestInputError} for a file that cannot be read or parsed, a
 * document that is not a Kubernetes object (a `Kustomization` included: render it first), and an object
 * that appears twice. A namespaced object without a namespace gets `options.namespace`.
 */
export function readManifests(root: string, options: ReadManifestsOptions = {}): SourcedObject[] {
  let files: string[];
  try {
    files = fs.statSync(root).isDirectory() ? yamlFilesUnder(root) : [root];
  } catch (e) {
    throw new ManifestInputError(root, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Fix: pass an existing folder or file`);
  }
  if (!files.length) throw new ManifestInputError(root, 'holds no .yaml or .yml file. Fix: point at the folder of existing manifests');
  const seen = new Map<string, string>();
  const out: SourcedObject[] = [];
  for (const file of files) {
    for (const read of objectsOf(file)) {
      const object = read.metadata.namespace || isClusterScoped(read.kind)
        ? read
        : { ...read, metadata: { ...read.metadata, namespace: options.namespace ?? 'default' } };
      const id = objectId(object);
      const first = seen.get(id);
      if (first !== undefined) {
        throw new ManifestInputError(file, `duplicate object ${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name} (also in ${first}). Fix: keep one copy; the cluster holds one object per kind, namespace and name`);
      }
      seen.set(id, file);
      out.push({ object, file });
    }
  }
  return out;
}

/** YAML files under `dir`, depth first, each folder in name order. */
function yamlFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return yamlFilesUnder(p);
      return /\.ya?ml$/.test(e.name) ? [p] : [];
    });
}

function objectsOf(file: string): KubeObject[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestInputError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Fix: make it readable or remove it from the folder`);
  }
  const out: KubeObject[] = [];
  for (const [index, doc] of parseAllDocuments(text).entries()) {
    const where = `document ${index + 1}`;
    if (doc.errors.length) throw new ManifestInputError(file, `${where} is not valid YAML (${doc.errors[0].message.split('\n')[0]}). Fix: correct the YAML`);
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    const items = value?.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
    for (const o of items) out.push(checkObject(file, where, o));
  }
  return out;
}

function checkObject(file: string, where: string, o: any): KubeObject {
  if (o?.kind === 'Kustomization') {
    throw new ManifestInputError(file, `${where} is a Kustomization, not a Kubernetes object. Fix: compare its output instead: \`kubectl kustomize ${path.dirname(file)} > existing.yaml\``);
  }
  const missing = ['apiVersion', 'kind'].filter((k) => typeof o?.[k] !== 'string' || !o[k]);
  if (typeof o?.metadata?.name !== 'string' || !o.metadata.name) missing.push('metadata.name');
  if (missing.length) {
    throw new ManifestInputError(file, `${where} is not a Kubernetes object (no ${missing.join(', ')}). Fix: remove it, or keep only manifests in the folder`);
  }
  return o as KubeObject;
}
