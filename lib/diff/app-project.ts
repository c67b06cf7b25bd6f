import { Check, Note, change, widening } from './finding';

/** The AppProject lists that grant: each new entry lets ArgoCD deploy more, from more places, to more places. */
const ALLOW_LISTS = ['sourceRepos', 'destinations', 'clusterResourceWhitelist', 'namespaceResourceWhitelist', 'sourceNamespaces'];
/** The lists that forbid: each removed entry lets ArgoCD deploy more. */
const DENY_LISTS = ['clusterResourceBlacklist', 'namespaceResourceBlacklist'];

/** An ArgoCD AppProject is a security boundary: what its Applications may deploy, from where, to where. */
export const appProjectCheck: Check = (before, after) => {
  if (!before || !after || after.kind !== 'AppProject') return [];
  const notes: Note[] = [];
  const entries = (spec: unknown, list: string): string[] =>
    (((spec ?? {}) as Record<string, unknown>)[list] as unknown[] | undefined ?? []).map((e) => (typeof e === 'string' ? e : entryText(e)));
  for (const list of [...ALLOW_LISTS, ...DENY_LISTS]) {
    const [was, now] = [entries(before.spec, list), entries(after.spec, list)];
    const added = now.filter((e) => !was.includes(e));
    const removed = was.filter((e) => !now.includes(e));
    const deny = DENY_LISTS.includes(list);
    if (added.length) notes.push((deny ? change : widening)('gitops', `added to ${list}: ${added.join(', ')}`));
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
