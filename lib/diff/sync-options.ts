import { DANGEROUS_SYNC_OPTIONS, syncOptionsOf } from '../gitops/sync-options';
import { KubeObject } from '../synth/manifest';
import { Check, Note, widening } from './finding';

/** The protections whose loss is a widening, spelled out here: the diff must not move with the code it reviews. */
const PROTECTION: readonly string[] = ['Prune=false', 'Delete=false'];

/**
 * ArgoCD sync options of any object: a removed `Prune=false` or `Delete=false` lets ArgoCD delete the object
 * (and, for a Namespace, everything in it) once it leaves the code; an added Replace, Force or CreateNamespace
 * bypasses what the baseline relies on. Both are widenings.
 */
export const syncOptionsCheck: Check = (before, after) => {
  if (!after) return [];
  const notes: Note[] = [];
  const options = (o: KubeObject | undefined, place: string): string[] =>
    o ? syncOptionsOf(o).filter((s) => s.place === place).flatMap((s) => s.options) : [];
  for (const place of ['application', 'annotation']) {
    const [was, now] = [options(before, place), options(after, place)];
    const lost = PROTECTION.filter((p) => was.includes(p) && !now.includes(p));
    if (lost.length) notes.push(widening('gitops', `${place} sync option(s) removed: ${lost.join(', ')} (ArgoCD may now prune or delete it)`));
    const risky = DANGEROUS_SYNC_OPTIONS.filter((p) => now.includes(p) && !was.includes(p));
    if (risky.length) notes.push(widening('gitops', `${place} sync option(s) added: ${risky.join(', ')}`));
  }
  return notes;
};
