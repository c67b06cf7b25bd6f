import { dataFromOf, remoteKeysOf, storeOf } from '../rules/pack/secret-rules';
import { KubeObject } from '../synth/manifest';
import { Check, Note, widening } from './finding';

const STORE_KINDS = ['ClusterSecretStore', 'SecretStore'];

/**
 * Which store keys reach which namespace. For an ExternalSecret: another store, a key added or removed (a removed
 * key is released for another namespace to name, and the Secret changes under its workloads), a new dataFrom.
 * For a store: namespaces added to its conditions or conditions dropped or loosened, another provider scope
 * (path, project, environment, recursion) or another identity. Each is a widening a reviewer acknowledges.
 */
export const externalSecretCheck: Check = (before, after) => {
  if (!after) return [];
  if (after.kind === 'ExternalSecret') return externalSecretNotes(before, after);
  if (STORE_KINDS.includes(after.kind)) return storeNotes(before, after);
  return [];
};

function externalSecretNotes(before: KubeObject | undefined, after: KubeObject): Note[] {
  const notes: Note[] = [];
  const ns = after.metadata.namespace;
  if (before && storeOf(before) !== storeOf(after)) notes.push(widening('secrets', `reads ${storeOf(after)} instead of ${storeOf(before)}`));
  const [was, now] = [before ? remoteKeysOf(before) : [], remoteKeysOf(after)];
  const added = now.filter((k) => !was.includes(k));
  const removed = was.filter((k) => !now.includes(k));
  if (added.length) notes.push(widening('secrets', `store key(s) now reach namespace ${ns}: ${added.join(', ')} (from ${storeOf(after)})`));
  if (removed.length) notes.push(widening('secrets', `store key(s) removed from namespace ${ns}: ${removed.join(', ')}`));
  const pulls = dataFromOf(after).filter((d) => !(before ? dataFromOf(before) : []).includes(d));
  if (pulls.length) notes.push(widening('secrets', `dataFrom pulls keys by path or pattern into ${ns}: ${pulls.join(', ')}`));
  return notes;
}

interface StoreSpec {
  readonly conditions?: readonly { readonly namespaces?: readonly string[]; readonly namespaceSelector?: unknown; readonly namespaceRegexes?: readonly string[] }[];
  readonly provider?: Record<string, unknown>;
}

function storeNotes(before: KubeObject | undefined, after: KubeObject): Note[] {
  const [was, now] = [(before?.spec ?? {}) as StoreSpec, (after.spec ?? {}) as StoreSpec];
  const notes: Note[] = [];
  const describe = (c: StoreSpec['conditions']): string[] =>
    (c ?? []).flatMap((x) => [
      ...(x.namespaces ?? []).map((n) => `namespace ${n}`),
      ...(x.namespaceRegexes ?? []).map((r) => `namespaces matching ${r}`),
      ...(x.namespaceSelector ? [`namespaces selected by ${JSON.stringify(x.namespaceSelector)}`] : []),
    ]);
  if (after.kind === 'ClusterSecretStore') {
    if (!now.conditions?.length && (before === undefined || was.conditions?.length)) {
      notes.push(widening('secrets', 'conditions absent: every namespace may read the store'));
    } else {
      const added = describe(now.conditions).filter((c) => !describe(was.conditions).includes(c));
      if (before && added.length) notes.push(widening('secrets', `conditions widened: ${added.join(', ')}`));
    }
  }
  if (before && JSON.stringify(was.provider) !== JSON.stringify(now.provider)) {
    notes.push(widening('secrets', 'provider changed (secret path, project, environment, recursion or identity): which keys the store reaches changed'));
  }
  return notes;
}
