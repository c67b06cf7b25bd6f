import { Check, Note, change, widening } from './finding';

/** The AppProject lists that grant: each new entry lets ArgoCD deploy more, from more places, to more places. */
const ALLOW_LISTS = ['sourceRepos', 'destinations', 'clusterResourceWhitelist', 'namespaceResourceWhitelist', 'sourceNamespaces'];
/** The lists that forbid: each removed entry lets ArgoCD deploy more. */
const DENY_LISTS = ['clusterResourceBlacklist', 'namespaceResourceBlacklist'];
/** ArgoCD reads a missing or empty namespaceResourceWhitelist as "every namespaced kind" (unless all are blacklisted). */
const EVERY_NAMESPACED_KIND = 'every namespaced kind (no whitelist)';

/**
 * An ArgoCD AppProject is a security boundary: what its Applications may deploy, from where, to where.
 * A new project is compared with an empty one, so each entry of its allow-lists is a widening.
 */
export const appProjectCheck: Check = (before, after) => {
  if (!after || after.kind !== 'AppProject') return [];
  const notes: Note[] = [];
  const entries = (o: typeof before, list: string): string[] => {
    const out = (((o?.spec ?? {}) as Record<string, unknown>)[list] as unknown[] | undefined ?? []).map((e) => (typeof e === 'string' ? e : entryText(e)));
    const everyKind = o && list === 'namespaceResourceWhitelist' && !out.length && !entries(o, 'namespaceResourceBlacklist').includes('*/*');
    return everyKind ? [EVERY_NAMESPACED_KIND] : out;
  };
  for (const list of [...ALLOW_LISTS, ...DENY_LISTS]) {
    const [was, now] = [entries(before, list), entries(after, list)];
    const added = now.filter((e) => !was.includes(e));
    const removed = was.filter((e) => !now.includes(e));
    const deny = DENY_LISTS.includes(list);
    // A kind added to an absent whitelist narrows it: the project allowed every kind before.
    const narrows = deny || was.includes(EVERY_NAMESPACED_KIND);
    if (added.length) notes.push((narrows ? change : widening)('gitops', `added to ${list}: ${added.join(', ')}`));
    if (removed.length) notes.push((deny ? widening : change)('gitops', `removed from ${list}: ${removed.join(', ')}`));
  }
  return notes;
};

/** `apps/Deployment`, `https://kubernetes.default.svc openclaw`: a list entry in a reviewer's words. */
function entryText(e: unknown): string {
  const o = (e ?? {}) as Record<string, string>;
  if ('kind' in o) return `${o.group ? `${o.group}/` : ''}${o.kind}`;
  if ('namespace' in o || 'server' in o || 'name' in o) return `${o.server ?? o.name ?? '*'} ${o.namespace ?? '*'}`;
  return JSON.stringify(e);
}
