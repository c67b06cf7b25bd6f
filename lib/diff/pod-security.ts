import { Check, Note, change, widening } from './finding';

const PREFIX = 'pod-security.kubernetes.io';
const MODES = ['enforce', 'audit', 'warn'] as const;
/** From least to most strict; a missing label means the cluster default, privileged unless configured. */
const ORDER = ['privileged', 'baseline', 'restricted'];
const UNSET = 'unset (the cluster default, privileged unless configured)';

/** Pod Security labels of a Namespace: a lowered (or removed) level or an unpinned version is a widening. */
export const podSecurityCheck: Check = (before, after) => {
  if (!after || after.kind !== 'Namespace') return [];
  const was = before?.metadata.labels ?? {};
  const now = after.metadata.labels ?? {};
  const notes: Note[] = [];
  for (const mode of MODES) {
    const key = `${PREFIX}/${mode}`;
    const [oldLevel, newLevel] = [was[key], now[key]];
    if (!before) {
      if (newLevel !== 'restricted') notes.push(widening('pod-security', `new namespace with ${mode}=${newLevel ?? UNSET}`));
    } else if (oldLevel !== newLevel) {
      const rank = (l: string | undefined): number => ORDER.indexOf(l ?? 'privileged');
      const lowered = rank(newLevel) < rank(oldLevel) || rank(newLevel) < 0;
      const text = `${mode} ${lowered ? 'lowered' : 'raised'} from ${oldLevel ?? 'unset'} to ${newLevel ?? UNSET}`;
      notes.push(lowered ? widening('pod-security', text) : change('pod-security', text));
    }
    const versionKey = `${key}-version`;
    if (before && was[versionKey] !== now[versionKey]) {
      const text = `${mode}-version changed from ${was[versionKey] ?? 'unset'} to ${now[versionKey] ?? 'unset'}`;
      const unpinned = !now[versionKey] || now[versionKey] === 'latest';
      notes.push(unpinned ? widening('pod-security', `${text} (unpinned: a cluster upgrade changes what is admitted)`) : change('pod-security', text));
    }
  }
  return notes;
};
