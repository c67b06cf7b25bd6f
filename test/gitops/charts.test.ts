import { App, Chart } from 'cdk8s';
import { APPLICATION_HEALTH_LUA, TrivyMode, TrivyOperatorSettings, argoCdValues, externalSecretsValues, trivyOperatorValues } from '../../lib';

const scope = new Chart(new App(), 'trivy');

describe('argo-cd values', () => {
  test('Application health check, annotation tracking, CRDs kept; no anonymous access, exec, Ingress or exposed Service; local admin off', () => {
    const values = argoCdValues();
    expect(values.render(scope)).toEqual({
      crds: { install: true, keep: true },
      configs: {
        cm: {
          'admin.enabled': 'false',
          'users.anonymous.enabled': 'false',
          'exec.enabled': 'false',
          'application.resourceTrackingMethod': 'annotation',
          'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
        },
      },
      server: { ingress: { enabled: false }, service: { type: 'ClusterIP' } },
    });
    expect(values.exemptions).toEqual({});
  });

  test('the local admin stays only with a reason, which becomes an exemption of the release', () => {
    const reason = 'no identity provider signs people in to ArgoCD yet';
    const values = argoCdValues({ localAdmin: { reason } });
    expect((values.render(scope) as any).configs.cm['admin.enabled']).toBe('true');
    expect(values.exemptions).toEqual({ 'local-admin': reason });
    expect(() => argoCdValues({ localAdmin: { reason: 'todo' } }).render(new Chart(new App(), 'argo'))).toThrow(/\[argo\].*chart values exemption local-admin/);
  });

  test('the health check reports the child Application\'s own health, Progressing until it has one', () => {
    expect(APPLICATION_HEALTH_LUA).toContain('hs.status = "Progressing"');
    expect(APPLICATION_HEALTH_LUA).toContain('hs.status = obj.status.health.status');
    expect(APPLICATION_HEALTH_LUA.trim().endsWith('return hs')).toBe(true);
  });
});

test('external-secrets values: the chart installs the CRDs dist/ uses', () => {
  expect(externalSecretsValues().render(scope)).toEqual({ installCRDs: true });
});

describe('trivy-operator values', () => {
  const seed: TrivyOperatorSettings = { scanJobsConcurrentLimit: 3, excludeNamespaces: ['openclaw'] };

  test('ClientServer with the built-in server by default', () => {
    expect(trivyOperatorValues(seed).render(scope)).toEqual({
      excludeNamespaces: 'openclaw',
      operator: { builtInTrivyServer: true, scanJobsConcurrentLimit: 3 },
      trivy: { mode: 'ClientServer' },
    });
  });

  test('excluded namespaces are a sorted comma list; none leaves the key out', () => {
    expect(trivyOperatorValues({ ...seed, excludeNamespaces: ['b', 'a'] }).render(scope)).toMatchObject({ excludeNamespaces: 'a,b' });
    expect(trivyOperatorValues({ scanJobsConcurrentLimit: 1 }).render(scope)).not.toHaveProperty('excludeNamespaces');
  });

  test('Standalone without the server', () => {
    expect(trivyOperatorValues({ ...seed, mode: TrivyMode.STANDALONE, builtInServer: false }).render(scope)).toMatchObject({
      operator: { builtInTrivyServer: false },
      trivy: { mode: 'Standalone' },
    });
  });

  describe('fails if', () => {
    test('mode and built-in server disagree', () => {
      expect(() => trivyOperatorValues({ ...seed, builtInServer: false }).render(scope)).toThrow(
        '[trivy] Trivy mode and built-in server disagree: {"mode":"ClientServer","builtInServer":false}. Allowed: ClientServer with the built-in server, or Standalone without it.',
      );
      expect(() => trivyOperatorValues({ ...seed, mode: TrivyMode.STANDALONE }).render(scope)).toThrow(/disagree/);
    });

    test('the concurrency limit is not a whole number of at least 1', () => {
      for (const n of [0, -1, 2.5]) {
        expect(() => trivyOperatorValues({ ...seed, scanJobsConcurrentLimit: n }).render(scope)).toThrow(`[trivy] invalid scanJobsConcurrentLimit: ${n}.`);
      }
    });

    test('an excluded namespace is not a namespace name (no globs)', () => {
      expect(() => trivyOperatorValues({ ...seed, excludeNamespaces: ['open*'] }).render(scope)).toThrow(/\[trivy\] invalid excluded namespace: "open\*"/);
    });
  });
});
