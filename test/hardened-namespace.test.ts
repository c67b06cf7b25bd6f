import { HardenedNamespace, PodSecurityLevel } from '../lib';
import { find, synthChart } from './util';

const PSS = 'pod-security.kubernetes.io';

describe('HardenedNamespace', () => {
  test('defaults to restricted in every mode with pinned versions and no exemption annotation', () => {
    const ns = find(synthChart((c) => new HardenedNamespace(c, 'ns', { name: 'apps' })), 'Namespace', 'apps');
    expect(ns.metadata.labels).toEqual({
      [`${PSS}/enforce`]: 'restricted',
      [`${PSS}/enforce-version`]: 'v1.28',
      [`${PSS}/audit`]: 'restricted',
      [`${PSS}/audit-version`]: 'v1.28',
      [`${PSS}/warn`]: 'restricted',
      [`${PSS}/warn-version`]: 'v1.28',
    });
    expect(ns.metadata.annotations).toBeUndefined();
    expect(ns.metadata.namespace).toBeUndefined();
  });

  test('a looser enforce level keeps audit/warn restricted and emits the reason', () => {
    const reason = 'node-exporter requires host namespaces and hostPort';
    const ns = find(
      synthChart((c) => new HardenedNamespace(c, 'ns', { name: 'mon', podSecurity: { enforce: PodSecurityLevel.BASELINE, reason } })),
      'Namespace',
      'mon',
    );
    expect(ns.metadata.labels[`${PSS}/enforce`]).toBe('baseline');
    expect(ns.metadata.labels[`${PSS}/audit`]).toBe('restricted');
    expect(ns.metadata.labels[`${PSS}/warn`]).toBe('restricted');
    expect(ns.metadata.annotations).toEqual({ 'baseline.homelab.dev/pod-security-reason': reason });
  });

  test('labels at the limits the API server allows are kept as given', () => {
    const labels = {
      [`${'a'.repeat(63)}.${'b'.repeat(189)}/${'C'.repeat(63)}`]: 'V'.repeat(63), // 253-character prefix, 63-character name
      'app.kubernetes.io/part-of': 'My_App.v2',
      empty: '',
      x: 'y',
    };
    const ns = find(synthChart((c) => new HardenedNamespace(c, 'ns', { name: 'x', labels })), 'Namespace', 'x');
    expect(ns.metadata.labels).toMatchObject(labels);
  });

  describe('fails if', () => {
    test.each([
      ['Bad_Name', /\[test\/ns\] invalid namespace name: "Bad_Name"\. Allowed: a DNS-1123 label.*Fix: rename it, e.g\. "bad-name"/],
      ['a'.repeat(64), /invalid namespace name/],
      ['-lead', /invalid namespace name/],
    ])('the name is invalid (%s)', (name, message) => {
      expect(() => synthChart((c) => new HardenedNamespace(c, 'ns', { name }))).toThrow(message);
    });

    test.each([PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED])('enforce=%s has no reason', (enforce) => {
      expect(() => synthChart((c) => new HardenedNamespace(c, 'ns', { name: 'x', podSecurity: { enforce } }))).toThrow(
        new RegExp(`\\[test/ns\\] Pod Security enforce=${enforce} needs a written reason: undefined\\. Allowed: a sentence of at least 20 characters.*Fix: pass \`reason`),
      );
    });

    test('a looser audit level has only a placeholder reason', () => {
      expect(() =>
        synthChart((c) => new HardenedNamespace(c, 'ns', { name: 'x', podSecurity: { audit: PodSecurityLevel.BASELINE, reason: 'TODO: write this later please' } })),
      ).toThrow(/Pod Security audit=baseline needs a written reason: "TODO: write this later please"/);
    });

    test('the level is unknown', () => {
      expect(() =>
        synthChart((c) => new HardenedNamespace(c, 'ns', { name: 'x', podSecurity: { enforce: 'strict' as PodSecurityLevel } })),
      ).toThrow(/unknown Pod Security level for enforce: "strict"\. Allowed: privileged, baseline, restricted/);
    });

    test('the version is not pinned', () => {
      expect(() => synthChart((c) => new HardenedNamespace(c, 'ns', { name: 'x', podSecurity: { version: 'latest' } }))).toThrow(
        /Pod Security version must be pinned: "latest"/,
      );
    });

    test('PSS labels are smuggled in through labels', () => {
      expect(() =>
        synthChart((c) => new HardenedNamespace(c, 'ns', { name: 'x', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } })),
      ).toThrow(/Pod Security labels cannot be set through `labels`/);
    });

    test.each([
      [{ 'tier name': 'web' }, /\[test\/ns\] invalid label key: "tier name"\. Allowed: an optional DNS-1123 subdomain prefix .*Fix: rename it, e.g\. "tier-name"/],
      [{ 'Example.com/team': 'a' }, /invalid label key: "Example.com\/team"/],
      [{ [`${'a'.repeat(64)}`]: 'a' }, /invalid label key: "a{64}"/],
      [{ [`${'a'.repeat(63)}.${'b'.repeat(190)}/x`]: 'a' }, /invalid label key: "a{63}\.b{190}\/x"/], // 254-character prefix
      [{ 'a/b/c': 'a' }, /invalid label key: "a\/b\/c"/],
      [{ '/x': 'a' }, /invalid label key: "\/x"/],
      [{ team: 'has space' }, /\[test\/ns\] invalid value of label "team": "has space"\. Allowed: empty, or 1-63 letters.*Fix: change it, e\.g\. to "has-space"/],
      [{ team: '-web-' }, /invalid value of label "team": "-web-"/],
      [{ team: 'x'.repeat(64) }, /invalid value of label "team": "x{64}"/],
    ])('a label is not one the API server accepts (%j)', (labels, message) => {
      expect(() => synthChart((c) => new HardenedNamespace(c, 'ns', { name: 'x', labels }))).toThrow(message);
    });
  });
});
