import { KubeObject } from '../synth/manifest';
import { ARGOCD_VERSION, SYNC_OPTIONS_ANNOTATION } from './sync';

export { ARGOCD_VERSION };

/** Where a sync option is read: an Application's `spec.syncPolicy.syncOptions`, or an object's annotation. */
export type SyncOptionPlace = 'application' | 'annotation';

/**
 * The sync options ArgoCD {@link ARGOCD_VERSION} knows (its user guide, "Sync Options"), by where it reads them,
 * `Key` → allowed values. Anything else is ignored by ArgoCD, so a typo silently drops what it meant to do.
 * `SkipDryRunOnMissingResource` is listed for both places here; where 2.14 honours it is checked on its own.
 */
export const SYNC_OPTIONS: Readonly<Record<SyncOptionPlace, Readonly<Record<string, readonly string[]>>>> = {
  application: {
    Validate: ['false', 'true'],
    SkipDryRunOnMissingResource: ['true'],
    PruneLast: ['true'],
    ApplyOutOfSyncOnly: ['true'],
    PrunePropagationPolicy: ['foreground', 'background', 'orphan'],
    Replace: ['true'],
    Force: ['true'],
    ServerSideApply: ['true', 'false'],
    FailOnSharedResource: ['true'],
    RespectIgnoreDifferences: ['true'],
    CreateNamespace: ['true'],
  },
  annotation: {
    Prune: ['false', 'confirm'],
    Delete: ['false', 'confirm'],
    Validate: ['false'],
    SkipDryRunOnMissingResource: ['true'],
    PruneLast: ['true'],
    Replace: ['true'],
    Force: ['true'],
    ServerSideApply: ['true', 'false'],
  },
};

/**
 * Options that bypass what the baseline relies on: `Replace` deletes and re-creates objects (a Namespace with
 * everything in it; a field another manager owns), `Force` deletes and re-creates on any apply error, and
 * `CreateNamespace` creates a destination namespace on the fly, without Pod Security labels or default-deny.
 */
export const DANGEROUS_SYNC_OPTIONS: readonly string[] = ['Replace=true', 'Force=true', 'CreateNamespace=true'];

/** An object's sync options as ArgoCD reads them: the Application's list, or the comma-separated annotation. */
export function syncOptionsOf(o: KubeObject): { place: SyncOptionPlace; options: string[] }[] {
  const out: { place: SyncOptionPlace; options: string[] }[] = [];
  if (o.kind === 'Application' && o.apiVersion?.startsWith('argoproj.io/')) {
    const list = ((o.spec as { syncPolicy?: { syncOptions?: unknown } } | undefined)?.syncPolicy?.syncOptions ?? []) as unknown[];
    out.push({ place: 'application', options: list.map(String) });
  }
  const annotation = o.metadata.annotations?.[SYNC_OPTIONS_ANNOTATION];
  if (annotation !== undefined) out.push({ place: 'annotation', options: annotation.split(',').map((s) => s.trim()).filter(Boolean) });
  return out;
}

/** Whether ArgoCD {@link ARGOCD_VERSION} knows `option` (`Key=value`) where it is given. */
export function isKnownSyncOption(place: SyncOptionPlace, option: string): boolean {
  const [key, value, ...rest] = option.split('=');
  return !rest.length && value !== undefined && (SYNC_OPTIONS[place][key] ?? []).includes(value);
}
