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
  });
});
