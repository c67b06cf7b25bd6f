import { IConstruct } from 'constructs';
import { fail } from '../errors';
import { KubeObject } from '../synth/manifest';

// A git ref name (branch or tag) or a commit SHA: no spaces, no range or glob characters, no "..".
const GIT_REF = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![./])$/;
// SemVer 2.0 without ranges (an optional leading "v", as some charts publish).
const EXACT_SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
// HEAD and semver ranges (1.2.x, ^1.2, ~1.2, >=1, 1 - 2, a || b, *): ArgoCD resolves them to whatever is newest.
const FLOATING = /^(head)$|[*^~<>|]|(^|\.)[xX](\.|$)|\s-\s/i;

/**
 * Whether a `targetRevision` floats whatever the source kind: empty (HEAD), HEAD, or a range or glob.
 * {@link isPinnedRevision} is stricter (an exact chart version, a valid git ref); the rule pack's HB-ARGO-001
 * asks only this, so that a chart source at a branch or short SHA stays compliant there.
 */
export function isFloatingRevision(targetRevision: string | undefined): boolean {
  const rev = (targetRevision ?? '').trim();
  return !rev || FLOATING.test(rev);
}

/** The fields of an ArgoCD Application source that say what it deploys. */
export interface ApplicationSourceFields {
  readonly repoURL?: string;
  /** Set for a Helm chart source. */
  readonly chart?: string;
  readonly path?: string;
  readonly ref?: string;
  readonly targetRevision?: string;
}

/** The sources of an Application object: `spec.sources`, else `spec.source` alone; none without either. */
export function applicationSources(o: KubeObject): ApplicationSourceFields[] {
  const spec = (o.spec ?? {}) as { source?: ApplicationSourceFields; sources?: ApplicationSourceFields[] };
  return spec.sources ?? (spec.source ? [spec.source] : []);
}

/**
 * Whether a source's `targetRevision` names one reviewed thing: for a chart one exact version (as
 * {@link validateChartVersion}), for git an explicit branch, tag or commit (as {@link validateGitRevision})
 * that is not a range or glob either ({@link isFloatingRevision}). The diff and the report ask this.
 */
export function isPinnedRevision(source: ApplicationSourceFields): boolean {
  const rev = source.targetRevision ?? '';
  if (typeof source.chart === 'string') return EXACT_SEMVER.test(rev);
  return GIT_REF.test(rev) && !isFloatingRevision(rev);
}

/** A full commit SHA (40 hex digits, or 64 for SHA-256 repositories): an abbreviation can become ambiguous. */
const FULL_COMMIT = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Whether a source's `targetRevision` can never move: for a chart one exact version, for git a full commit or an
 * exact release tag (`v1.2.3`). A branch name is pinned ({@link isPinnedRevision}) but moves with every push.
 */
export function isImmutableRevision(source: ApplicationSourceFields): boolean {
  const rev = source.targetRevision ?? '';
  return typeof source.chart === 'string' ? EXACT_SEMVER.test(rev) : FULL_COMMIT.test(rev) || EXACT_SEMVER.test(rev);
}

/**
 * Checks a git `targetRevision`: an explicit branch, tag or commit. `HEAD` and an empty value follow
 * whatever the repository's default branch points at, so what ArgoCD deploys could change without a
 * reviewed change to this code; range and glob characters would let ArgoCD pick a tag on its own.
 */
export function validateGitRevision(scope: IConstruct | string, value: string): string {
  if (typeof value !== 'string' || value.trim().toUpperCase() === 'HEAD' || !GIT_REF.test(value)) {
    fail(scope, {
      problem: 'git targetRevision must be an explicit branch, tag or commit',
      value,
      allowed: 'a branch (e.g. "main"), a tag (e.g. "v1.4.0") or a commit SHA; never "HEAD", empty, a range or a glob',
      fix: 'set targetRevision to the protected branch ArgoCD deploys from, e.g. "main"',
    });
  }
  return value;
}

/**
 * Checks a Helm chart version: one exact SemVer version. A range (`^1.2`, `~1.2.0`, `>=1`, `1.x`, `*`) or
 * `latest` lets ArgoCD install a chart nobody reviewed the moment upstream publishes it.
 */
export function validateChartVersion(scope: IConstruct | string, value: string): string {
  if (typeof value !== 'string' || !EXACT_SEMVER.test(value)) {
    fail(scope, {
      problem: 'Helm chart version must be exact',
      value,
      allowed: 'one exact SemVer version such as "0.20.4" (no ranges ^ ~ > < *, no x wildcards, no "latest")',
      fix: 'pin the exact chart version you reviewed, e.g. the one `helm search repo <chart> --versions` lists',
    });
  }
  return value;
}

/**
 * Checks a repository URL (git or Helm): HTTPS only, so what ArgoCD fetches is authenticated by TLS
 * and cannot be swapped on the way.
 */
export function validateRepoUrl(scope: IConstruct | string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.username || url.password || /[*?\s]/.test(value)) {
    fail(scope, {
      problem: 'repository URL must be a plain HTTPS URL',
      // Never echo credentials into a log.
      value: url && (url.username || url.password) ? value.replace(/\/\/[^@/]*@/, '//***@') : value,
      allowed: 'https://host/path without credentials or wildcards',
      fix: 'use the repository\'s HTTPS URL; credentials belong in an ArgoCD repository Secret, never in code',
    });
  }
  return value;
}
