import { Manifest } from '../synth/manifest';
import { GroupKind, groupKindKey } from './project';
import { groupOf, isBuiltInGroup } from './sync';

/** What one dist/ folder holds: the input of its Application and of its project's lists. */
export interface FolderContents {
  readonly folder: string;
  readonly manifests: readonly Manifest[];
  /** The namespaces of its namespaced objects (empty for a cluster-scoped folder). */
  readonly namespaces: ReadonlySet<string>;
  /** The kinds of its cluster-scoped objects, sorted. */
  readonly clusterKinds: readonly GroupKind[];
  /** The kinds of its namespaced objects, sorted. */
  readonly namespacedKinds: readonly GroupKind[];
  /** The API groups of its custom resources (kinds served by a CRD, not by Kubernetes itself), sorted. */
  readonly customGroups: readonly string[];
}

/** Groups `manifests` by folder, in folder order. */
export function foldersOf(manifests: readonly Manifest[]): FolderContents[] {
  const byFolder = new Map<string, Manifest[]>();
  for (const m of manifests) {
    const list = byFolder.get(m.folder) ?? [];
    list.push(m);
    byFolder.set(m.folder, list);
  }
  return [...byFolder.keys()].sort().map((folder) => {
    const list = byFolder.get(folder)!;
    const namespaced = list.filter((m) => m.object.metadata.namespace);
    return {
      folder,
      manifests: list,
      namespaces: new Set(namespaced.map((m) => m.object.metadata.namespace!)),
      clusterKinds: kindsOf(list.filter((m) => !m.object.metadata.namespace)),
      namespacedKinds: kindsOf(namespaced),
      customGroups: [...new Set(list.map((m) => groupOf(m.object)).filter((g) => !isBuiltInGroup(g)))].sort(),
    };
  });
}

function kindsOf(list: readonly Manifest[]): GroupKind[] {
  const kinds = new Map<string, GroupKind>();
  for (const { object } of list) {
    const gk = { group: groupOf(object), kind: object.kind };
    kinds.set(groupKindKey(gk), gk);
  }
  return [...kinds.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, gk]) => gk);
}
