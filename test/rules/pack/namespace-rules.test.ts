import { podSecurityLabels, podSecurityReason, podSecurityRestricted } from '../../../lib/rules/pack/namespace-rules';
import { RESTRICTED_LABELS, findingsOf, namespace } from '../fixtures';

describe('HB-NS-001 Pod Security labels', () => {
  test('compliant: all six labels, pinned versions', () => {
    expect(findingsOf(podSecurityLabels, [namespace('apps')])).toEqual([]);
  });

  test('violation: no labels at all', () => {
    expect(findingsOf(podSecurityLabels, [namespace('apps', {})])).toEqual([
      '[label:pod-security.kubernetes.io/enforce]',
      '[label:pod-security.kubernetes.io/enforce-version]',
      '[label:pod-security.kubernetes.io/audit]',
      '[label:pod-security.kubernetes.io/audit-version]',
      '[label:pod-security.kubernetes.io/warn]',
      '[label:pod-security.kubernetes.io/warn-version]',
    ].sort());
  });

  test('violation: unknown level and an unpinned version', () => {
    const labels = { ...RESTRICTED_LABELS, 'pod-security.kubernetes.io/audit': 'strict', 'pod-security.kubernetes.io/warn-version': 'latest' };
    expect(findingsOf(podSecurityLabels, [namespace('apps', labels)])).toEqual([
      '[label:pod-security.kubernetes.io/audit]',
      '[label:pod-security.kubernetes.io/warn-version]',
    ]);
  });

  test('ignores other kinds', () => {
    expect(findingsOf(podSecurityLabels, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'apps' } }])).toEqual([]);
  });
});

describe('HB-NS-002 enforce restricted (WARN)', () => {
  test('compliant: enforce restricted', () => {
    expect(findingsOf(podSecurityRestricted, [namespace('apps')])).toEqual([]);
  });

  test('violation: enforce baseline, with the reason in the detail', () => {
    const ns = namespace('apps', { ...RESTRICTED_LABELS, 'pod-security.kubernetes.io/enforce': 'baseline' }, {
      'baseline.homelab.dev/pod-security-reason': 'upstream chart runs as root',
    });
    expect(findingsOf(podSecurityRestricted, [ns])).toEqual(['[enforce:baseline]']);
  });

  test('a missing label is left to HB-NS-001', () => {
    expect(findingsOf(podSecurityRestricted, [namespace('apps', {})])).toEqual([]);
  });
});

describe('HB-NS-003 a looser level carries a reason', () => {
  const looser = { ...RESTRICTED_LABELS, 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'baseline' };

  test('compliant: restricted everywhere, or looser with a written reason', () => {
    expect(findingsOf(podSecurityReason, [namespace('apps')])).toEqual([]);
    const reasoned = namespace('apps', looser, { 'baseline.homelab.dev/pod-security-reason': 'node-exporter needs host namespaces and hostPort' });
    expect(findingsOf(podSecurityReason, [reasoned])).toEqual([]);
  });

  test.each([undefined, 'because', 'TODO: explain this exemption later'])('violation: every looser mode without a real reason (%s)', (reason) => {
    const ns = namespace('apps', looser, reason === undefined ? undefined : { 'baseline.homelab.dev/pod-security-reason': reason });
    expect(findingsOf(podSecurityReason, [ns])).toEqual(['[enforce:privileged]', '[warn:baseline]']);
  });
});
