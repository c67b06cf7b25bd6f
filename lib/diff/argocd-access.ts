import { KubeObject } from '../synth/manifest';
import { Check, Note, widening } from './finding';

/** Go's `strconv.ParseBool`, which ArgoCD reads these keys with: undefined when the value does not parse. */
function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * The argocd-cm keys that open a way into ArgoCD, what each opens, and what ArgoCD assumes when a key is absent
 * or does not parse (the local admin is on unless turned off).
 */
const ACCESS_KEYS: readonly { readonly key: string; readonly opens: string; readonly byDefault: boolean }[] = [
  { key: 'admin.enabled', opens: 'the local admin account (a password login beside any SSO)', byDefault: true },
  { key: 'users.anonymous.enabled', opens: 'anonymous access to the ArgoCD API and UI', byDefault: false },
  { key: 'exec.enabled', opens: 'exec into pods from the ArgoCD UI', byDefault: false },
];

const isArgoCdConfigMap = (o: KubeObject | undefined): boolean => o?.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm';

/**
 * ArgoCD access: an argocd-cm key that turns on the local admin, anonymous access or exec from the UI is a
 * widening. A new argocd-cm is compared with ArgoCD's defaults, the settings in force without one.
 */
export const argocdAccessCheck: Check = (before, after) => {
  if (!isArgoCdConfigMap(after)) return [];
  const setting = (o: KubeObject | undefined, key: string, byDefault: boolean): boolean =>
    parseBool(isArgoCdConfigMap(o) ? ((o!.data ?? {}) as Record<string, string>)[key] : undefined) ?? byDefault;
  const notes: Note[] = [];
  for (const { key, opens, byDefault } of ACCESS_KEYS) {
    if (setting(after, key, byDefault) && !setting(before, key, byDefault)) notes.push(widening('gitops', `${key} turned on: ${opens}`));
  }
  return notes;
};
