import { POD_SECURITY_LABEL_PREFIX, POD_SECURITY_LEVELS, POD_SECURITY_MODES, PodSecurityLevel, isPinnedPodSecurityVersion } from '../hardened-namespace';
import { Check, Note, change, widening } from './finding';

/** A missing label means the cluster default, privileged unless configured. */
const UNSET = 'unset (the cluster default, privileged unless configured)';

/** Pod Security labels of a Namespace: a lowered (or removed) level or an unpinned version is a widening. */
export const podSecurityCheck: Check = (before, after) => {
  if (!after || after.kind !== 'Namespace') return [];
  const was = before?.metadata.labels ?? {};
  const now = after.metadata.labels ?? {};
  const notes: Note[] = [];
  for (const mode of POD_SECURITY_MODES) {
    const key = `${POD_SECURITY_LABEL_PREFIX}/${mode}`;
    const [oldLevel, newLevel] = [was[key], now[key]];
    if (!before) {
      if (newLevel !== PodSecurityLevel.RESTRICTED) notes.push(widening('pod-security', `new namespace with ${mode}=${newLevel ?? UNSET}`));
    } else if (oldLevel !== newLevel) {
      const rank = (l: string | undefined): number => POD_SECURITY_LEVELS.indexOf(l ?? PodSecurityLevel.PRIVILEGED);
      const lowered = rank(newLevel) < rank(oldLevel) || rank(newLevel) < 0;
      const text = `${mode} ${lowered ? 'lowered' : 'raised'} from ${oldLevel ?? 'unset'} to ${newLevel ?? UNSET}`;
      notes.push(lowered ? widening('pod-security', text) : change('pod-security', text));
    }
    const versionKey = `${key}-version`;
    if (before && was[versionKey] !== now[versionKey]) {
      const text = `${mode}-version changed from ${was[versionKey] ?? 'unset'} to ${now[versionKey] ?? 'unset'}`;
      // Anything but a pinned v1.N (the rule HB-NS-001's test) follows cluster upgrades.
      const unpinned = !isPinnedPodSecurityVersion(now[versionKey]);
      // An older pinned version admits pods the newer one refuses (v1.0 lets a root pod through that v1.28 stops).
      const older = !unpinned && isPinnedPodSecurityVersion(was[versionKey]) && minorOf(now[versionKey]) < minorOf(was[versionKey]);
      if (unpinned) notes.push(widening('pod-security', `${text} (unpinned: a cluster upgrade changes what is admitted)`));
      else if (older) notes.push(widening('pod-security', `${text} (older: its checks admit pods the newer version refuses)`));
      else notes.push(change('pod-security', text));
    }
  }
  return notes;
};

/** The minor number of a pinned `v1.N` Pod Security version. */
function minorOf(version: string | undefined): number {
  return Number(version?.split('.')[1]);
}
