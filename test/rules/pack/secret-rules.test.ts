import { KubeObject } from '../../../lib';
import { externalSecretScopeRule, storeConditionsRule } from '../../../lib/rules/pack/secret-rules';
import { findingsOf } from '../fixtures';

const es = (namespace: string, keys: string[], extra: Record<string, unknown> = {}, store = 'infisical'): KubeObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: { name: `${namespace}-secret`, namespace },
  spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: store }, data: keys.map((k) => ({ secretKey: k, remoteRef: { key: k } })), ...extra },
});
const store = (conditions: unknown, name = 'infisical'): KubeObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: { name },
  spec: { conditions, provider: {} },
});

describe('HB-ESO-001 ExternalSecret keys', () => {
  const served = store([{ namespaces: ['a', 'b'] }]);
  test('a key another namespace names through the same store', () => {
    const a = es('a', ['A_KEY', 'SHARED']);
    const b = es('b', ['B_KEY', 'SHARED']);
    expect(findingsOf(externalSecretScopeRule, [a, b, served], a)).toEqual(['[key:SHARED]']);
    expect(findingsOf(externalSecretScopeRule, [a, b, served], b)).toEqual(['[key:SHARED]']);
  });
  test('per-namespace stores: the same key name in two stores is two keys', () => {
    const a = es('a', ['TOKEN'], {}, 'infisical-a');
    const b = es('b', ['TOKEN'], {}, 'infisical-b');
    expect(findingsOf(externalSecretScopeRule, [a, b, store([{ namespaces: ['a'] }], 'infisical-a'), store([{ namespaces: ['b'] }], 'infisical-b')], a)).toEqual([]);
  });
  test('dataFrom extract and find, and a store that does not serve the namespace', () => {
    const o = es('c', ['C_KEY'], { dataFrom: [{ extract: { key: '/' } }, { find: { name: { regexp: '.*' } } }] });
    expect(findingsOf(externalSecretScopeRule, [o, served])).toEqual(['[dataFrom:0]', '[dataFrom:1]', '[store:ClusterSecretStore/infisical]']);
    expect(externalSecretScopeRule.suppressible).toBe(true);
  });
});

describe('HB-ESO-002 store conditions', () => {
  test.each([
    [undefined, ['[conditions:none]']],
    [[], ['[conditions:none]']],
    [[{ namespaceRegexes: ['.*'] }], ['[conditions:0][namespaceRegexes]', '[conditions:0][namespaces:none]']],
    [[{ namespaces: ['a'], namespaceSelector: { matchLabels: { x: 'y' } } }], ['[conditions:0][namespaceSelector]']],
    [[{ namespaces: ['a', 'b'] }], []],
  ])('conditions %j', (conditions, expected) => {
    expect(findingsOf(storeConditionsRule, [store(conditions)])).toEqual(expected);
  });
});
