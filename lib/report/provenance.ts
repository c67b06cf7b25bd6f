import { exemptionReason } from '../annotations';
import { applicationSources, isPinnedRevision } from '../gitops/pinning';
import { DIGEST, isPinned, tagOf } from '../image-reference';
import { code, table } from './markdown';
import { ObjectIndex, containersOf, workloadsOf } from './objects';

/** One container image of one workload. */
export interface ImageRow {
  readonly namespace: string;
  readonly workload: string;
  readonly container: string;
  readonly image: string;
  /** The tag, or the digest, or `none (latest)`. */
  readonly version: string;
  readonly pullPolicy: string;
  readonly pinned: boolean;
  /** The reason of this container's `unpinned-image` exemption entry, when the workload carries one. */
  readonly exemption?: string;
}

/** One source of one ArgoCD Application: a Helm chart or a git path. */
export interface SourceRow {
  readonly application: string;
  readonly project: string;
  readonly kind: 'helm' | 'git';
  readonly repoURL: string;
  /** The chart name (helm) or the path (git). */
  readonly what: string;
  readonly targetRevision: string;
  /** `exact chart version`, `commit`, `branch or tag (moves with it)`, or `NOT PINNED: ...`. */
  readonly pinning: string;
  readonly pinned: boolean;
  /** `automated (prune, selfHeal)`, `manual`. */
  readonly sync: string;
  readonly destination: string;
}

/** The version part of an image reference: its digest, its tag, or none. */
export function imageVersion(reference: string): string {
  const digest = DIGEST.exec(reference);
  return digest ? digest[0].slice(1) : (tagOf(reference) ?? 'none (latest)');
}

/** Every container image of every workload. */
export function imageRows(index: ObjectIndex): ImageRow[] {
  return workloadsOf(index).flatMap((w) =>
    containersOf(w.podSpec).map(({ container, init }) => ({
      namespace: w.namespace,
      workload: w.name,
      container: init ? `init: ${container.name}` : container.name,
      image: container.image,
      version: imageVersion(container.image),
      pullPolicy: container.imagePullPolicy ?? 'unset',
      pinned: isPinned(container.image),
      exemption: exemptionReason(w.annotations, 'unpinned-image', container.name),
    })),
  );
}

/** How a git source is (or is not) pinned, in words. */
function gitPinning(revision: string | undefined, pinned: boolean): string {
  if (!revision || revision.toUpperCase() === 'HEAD') return 'NOT PINNED: follows the default branch';
  if (!pinned) return 'NOT PINNED: a range or glob (deploys the newest match)';
  return /^[0-9a-f]{40}$/.test(revision) ? 'commit' : 'explicit branch or tag (deploys what it points at)';
}

/** Every source of every ArgoCD Application, sorted by Application. */
export function sourceRows(index: ObjectIndex): SourceRow[] {
  return index.ofKind('Application').flatMap((app) => {
    const spec = app.spec as any;
    const sources = applicationSources(app);
    const automated = spec?.syncPolicy?.automated;
    const sync = automated
      ? `automated${['prune', 'selfHeal'].filter((k) => automated[k]).length ? ` (${['prune', 'selfHeal'].filter((k) => automated[k]).join(', ')})` : ''}`
      : 'manual';
    const dest = spec?.destination ?? {};
    const destination = `${dest.name ?? dest.server ?? '?'}${dest.namespace ? ` ns ${dest.namespace}` : ''}`;
    return sources.map((s) => {
      const helm = typeof s.chart === 'string';
      const pinned = isPinnedRevision(s);
      const pin = {
        pinned,
        pinning: helm ? (pinned ? 'exact chart version' : 'NOT PINNED: not one exact chart version') : gitPinning(s.targetRevision, pinned),
      };
      return {
        application: `${app.metadata.namespace ? `${app.metadata.namespace}/` : ''}${app.metadata.name}`,
        project: spec?.project ?? 'default',
        kind: helm ? 'helm' : 'git',
        repoURL: s.repoURL ?? '',
        what: helm ? s.chart : (s.path ?? s.ref ?? ''),
        targetRevision: s.targetRevision ?? '',
        ...pin,
        sync,
        destination,
      } as SourceRow;
    });
  });
}

/** Container images (the seed's "Image Provenance", workload part). */
export function renderImages(index: ObjectIndex): string {
  return table(
    ['Namespace', 'Workload', 'Container', 'Image', 'Tag / digest', 'Pull policy', 'Pinned'],
    imageRows(index).map((r) => [
      code(r.namespace),
      code(r.workload),
      code(r.container),
      code(r.image),
      code(r.version),
      r.pullPolicy,
      r.pinned ? 'yes' : r.exemption ? `no — exempted: ${r.exemption}` : 'NO',
    ]),
  );
}

/** ArgoCD Application sources (the seed's "Image Provenance" chart rows and "Supply Chain Security"). */
export function renderSources(index: ObjectIndex): string {
  return table(
    ['Application', 'Project', 'Source', 'Chart / path', 'Revision', 'Pinned', 'Sync', 'Destination'],
    sourceRows(index).map((r) => [
      code(r.application),
      code(r.project),
      `${r.kind} ${code(r.repoURL)}`,
      code(r.what),
      code(r.targetRevision),
      r.pinning,
      r.sync,
      r.destination,
    ]),
  );
}
