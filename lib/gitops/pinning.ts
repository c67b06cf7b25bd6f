import { IConstruct } from 'constructs';
import { fail } from '../errors';

// A git ref name (branch or tag) or a commit SHA: no spaces, no range or glob characters, no "..".
const GIT_REF = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._\/-]+(?<![./])$/;
// SemVer 2.0 without ranges (an optional leading "v", as some charts publish).
const EXACT_SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

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
