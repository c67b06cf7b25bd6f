import { applicationSources, isPinnedRevision } from '../../lib/gitops/pinning';
import { validateChartVersion, validateGitRevision, validateRepoUrl } from '../../lib';

const AT = 'gitops/Root/app';

describe('validateGitRevision', () => {
  test.each(['main', 'release/2025-01', 'v1.4.0', '206a6eeca509bbf7f239301f3d3fa498c23251a4'])('accepts %s', (rev) => {
    expect(validateGitRevision(AT, rev)).toBe(rev);
  });

  describe('fails if', () => {
    test.each(['HEAD', 'head', '', ' ', 'v1.*', '^1.2.0', '>=1.0.0', 'main..dev', 'feature/', '-main', 'a b'])('%j', (rev) => {
      expect(() => validateGitRevision(AT, rev)).toThrow(
        `[${AT}] git targetRevision must be an explicit branch, tag or commit: ${JSON.stringify(rev)}. ` +
          'Allowed: a branch (e.g. "main"), a tag (e.g. "v1.4.0") or a commit SHA; never "HEAD", empty, a range or a glob. ' +
          'Fix: set targetRevision to the protected branch ArgoCD deploys from, e.g. "main"',
      );
    });

    test('undefined (a hand-written Application without targetRevision)', () => {
      expect(() => validateGitRevision(AT, undefined as unknown as string)).toThrow(/targetRevision must be an explicit branch, tag or commit: undefined/);
    });
  });
});

describe('validateChartVersion', () => {
  test.each(['7.8.0', '0.20.4', '2025.12.4', '1.0.0-rc.1', '1.0.0+build.5', 'v1.2.3'])('accepts %s', (v) => {
    expect(validateChartVersion(AT, v)).toBe(v);
  });

  describe('fails if', () => {
    test.each(['^7.8.0', '~0.20.4', '>=82.0.0', '<1', '*', '7.x', '7.8.x', '7.8', 'latest', '', '7.8.0 || 7.9.0', '07.8.0'])('%j', (v) => {
      expect(() => validateChartVersion(AT, v)).toThrow(
        `[${AT}] Helm chart version must be exact: ${JSON.stringify(v)}. ` +
          'Allowed: one exact SemVer version such as "0.20.4" (no ranges ^ ~ > < *, no x wildcards, no "latest"). ' +
          'Fix: pin the exact chart version you reviewed',
      );
    });
  });
});

describe('validateRepoUrl', () => {
  test('accepts a plain HTTPS URL', () => {
    expect(validateRepoUrl(AT, 'https://charts.external-secrets.io')).toBe('https://charts.external-secrets.io');
  });

  describe('fails if', () => {
    test.each(['http://charts.example.com', 'git@github.com:o/r.git', 'ssh://github.com/o/r', 'https://github.com/o/*', 'not a url'])('%j', (url) => {
      expect(() => validateRepoUrl(AT, url)).toThrow(`[${AT}] repository URL must be a plain HTTPS URL: ${JSON.stringify(url)}. Allowed: https://host/path without credentials or wildcards.`);
    });

    test('it carries credentials, which the message never repeats', () => {
      const run = () => validateRepoUrl(AT, 'https://bot:ghp_s3cr3t@github.com/o/r');
      expect(run).toThrow('repository URL must be a plain HTTPS URL: "https://***@github.com/o/r"');
      expect(run).not.toThrow(/s3cr3t|bot:/);
    });
  });
});

describe('isPinnedRevision and applicationSources: the one answer the rule pack, the diff and the report share', () => {
  test('a chart source pins one exact version; a git source an explicit branch, tag or commit that is no range', () => {
    for (const targetRevision of ['82.1.0', 'v1.2.3', '1.0.0-rc.1']) expect(isPinnedRevision({ chart: 'c', targetRevision })).toBe(true);
    for (const targetRevision of ['', '82.1', '^82.1.0', '82.x', 'latest', '*', undefined]) expect(isPinnedRevision({ chart: 'c', targetRevision })).toBe(false);
    for (const targetRevision of ['main', 'v1.4.0', 'release/2024', 'a'.repeat(40)]) expect(isPinnedRevision({ path: 'dist', targetRevision })).toBe(true);
    for (const targetRevision of ['', 'HEAD', 'head', ' main', '1.x', '^1.2', '>=1', '1 - 2', 'v*', undefined]) expect(isPinnedRevision({ path: 'dist', targetRevision })).toBe(false);
  });

  test('`spec.sources` wins over `spec.source`; none when neither is set', () => {
    const app = (spec: object) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec });
    expect(applicationSources(app({ source: { path: 'x' } }))).toEqual([{ path: 'x' }]);
    expect(applicationSources(app({ source: { path: 'x' }, sources: [{ path: 'y' }, { chart: 'z' }] }))).toEqual([{ path: 'y' }, { chart: 'z' }]);
    expect(applicationSources(app({}))).toEqual([]);
  });
});
