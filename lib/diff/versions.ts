import { ApplicationSourceFields, applicationSources, isImmutableRevision, isPinnedRevision } from '../gitops/pinning';
import { KubeObject } from '../synth/manifest';
import { isPinned } from '../image-reference';
import { Check, Note, change, widening } from './finding';

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const SOURCE_FIELDS = ['repoURL', 'chart', 'targetRevision', 'path'] as const;

/**
 * Image tags and ArgoCD Application sources (Helm chart, version, repository). Version bumps are changes;
 * losing a digest or a pin, an unpinned image in a new container or object, or a new source repository,
 * is a widening (the supply chain got wider).
 */
export const versionCheck: Check = (before, after) => {
  if (!after) return [];
  const notes: Note[] = [];
  const was = before ? images(before) : new Map<string, string>();
  for (const [container, image] of images(after)) {
    const old = was.get(container);
    if (old === image) continue;
    if (old === undefined) {
      if (!isPinned(image)) notes.push(widening('version', `image of ${container}: ${image} (new ${before ? 'container' : 'object'}, tag not pinned)`));
      continue;
    }
    const text = `image of ${container}: ${old} → ${image}`;
    if (old.includes('@sha256:') && !image.includes('@sha256:')) notes.push(widening('version', `${text} (digest pin removed)`));
    else if (!isPinned(image)) notes.push(widening('version', `${text} (tag not pinned)`));
    else notes.push(change('version', text));
  }
  if (!before) return notes;
  const oldSources = sources(before);
  sources(after).forEach((source, i) => {
    const old = oldSources[i];
    if (!old) return;
    for (const field of SOURCE_FIELDS) {
      if (old[field] === source[field]) continue;
      const text = `source ${field}: ${old[field] ?? 'unset'} → ${source[field] ?? 'unset'}`;
      if (field === 'repoURL') notes.push(widening('version', `${text} (new source repository)`));
      else if (field === 'targetRevision' && !isPinnedRevision(source)) notes.push(widening('version', `${text} (revision not pinned)`));
      // Another branch is another line of pushes, reviewed or not: only a move to an exact tag or commit is a plain change.
      else if (field === 'targetRevision' && !isImmutableRevision(source)) notes.push(widening('version', `${text} (deploys another branch)`));
      else notes.push(change('version', text));
    }
  });
  return notes;
};

/** `containers/app` → image, for every container of every pod template (or pod) in the object. */
function images(o: KubeObject): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      if (CONTAINER_LISTS.includes(k) && Array.isArray(child)) {
        for (const c of child as { name?: string; image?: unknown }[]) {
          if (typeof c.image === 'string') out.set(`${k.replace(/s$/, '')} ${c.name ?? '?'}`, c.image);
        }
      } else walk(child);
    }
  };
  walk(o.spec);
  return out;
}

function sources(o: KubeObject): ApplicationSourceFields[] {
  return o.kind === 'Application' ? applicationSources(o) : [];
}
