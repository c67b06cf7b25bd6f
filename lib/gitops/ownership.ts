import { Manifest, objectId } from '../synth/manifest';
import { FolderContents } from './folders';

/** A dist/ folder's git location, as the Applications generated for it point at it. */
export interface FolderClaim {
  readonly repoURL: string;
  /** `<distPath>/<folder>` */
  readonly path: string;
}

/**
 * Every way the manifests could make an object's owner ambiguous for ArgoCD, one message each with the
 * construct path: the same object in two folders; a folder mixing cluster-scoped and namespaced objects
 * or several namespaces (its Application has one project and one destination); and a hand-written
 * Application that syncs a folder the generated Applications already sync. (A hand-written Application's
 * project and pinning are the rule pack's: HB-ARGO-001 and HB-ARGO-002.)
 */
export function ownershipProblems(folders: readonly FolderContents[], claimsOfFolders: readonly FolderClaim[], mixedScopeFolders: ReadonlySet<string> = new Set()): string[] {
  const errors: string[] = [];
  const owner = new Map<string, Manifest>();
  for (const f of folders) {
    for (const m of f.manifests) {
      const id = objectId(m.object);
      const other = owner.get(id);
      if (other) {
        errors.push(`[${m.constructPath}] ${id} is also written to dist/${other.folder} by ${other.constructPath}, so two Applications would claim it. Allowed: each object in exactly one folder. Fix: keep one of them (check assignFolder() calls).`);
      }
      owner.set(id, m);
    }
    // A rendered chart's folder may mix: its Application has a project of its own allowing exactly both.
    if (f.namespaces.size && f.clusterKinds.length && !mixedScopeFolders.has(f.folder)) {
      errors.push(`[${f.manifests[0].constructPath}] dist/${f.folder} mixes cluster-scoped (${f.clusterKinds.map((k) => k.kind).join(', ')}) and namespaced objects. Allowed: one kind of scope per folder (its Application has one project). Fix: move one of them to another folder with assignFolder().`);
    }
    if (f.namespaces.size > 1) {
      errors.push(`[${f.manifests[0].constructPath}] dist/${f.folder} holds objects of several namespaces (${[...f.namespaces].sort().join(', ')}). Allowed: one namespace per folder (its Application's destination). Fix: give each namespace its own folder.`);
    }
  }
  const claimed = new Set(claimsOfFolders.map(claimKey));
  for (const m of folders.flatMap((f) => f.manifests)) {
    if (m.object.kind === 'Application') errors.push(...handWrittenApplicationProblems(m, claimed));
  }
  return errors;
}

function handWrittenApplicationProblems(m: Manifest, claimed: ReadonlySet<string>): string[] {
  const spec = ((m.object as { spec?: unknown }).spec ?? {}) as { source?: FolderClaim; sources?: FolderClaim[] };
  return [...(spec.source ? [spec.source] : []), ...(spec.sources ?? [])]
    .filter((source) => claimed.has(claimKey(source)))
    .map(
      (source) =>
        `[${m.constructPath}] Application "${m.object.metadata.name}" syncs ${source.path}, which the generated Application of that folder already syncs. Allowed: one Application per folder. Fix: remove the hand-written Application.`,
    );
}

function claimKey(c: FolderClaim): string {
  return `${c.repoURL.replace(/\.git$/, '').replace(/\/+$/, '')}#${(c.path ?? '').replace(/^\.?\/+|\/+$/g, '')}`;
}
