import { KubeObject, Rule, Suppression, annotateSuppressions, runRules, suppressionAnnotation } from '../../lib';
import { manifest } from './fixtures';

/** A toy rule: one finding per label `bad-<x>` on any object. */
function labelRule(id: string, level: 'ERROR' | 'WARN', extra: Partial<Rule> = {}): Rule {
  return {
    id,
    level,
    title: 'no bad labels',
    why: 'bad labels are bad',
    fix: 'remove the bad label',
    check: (o) =>
      Object.keys(o.metadata.labels ?? {})
        .filter((k) => k.startsWith('bad-'))
        .map((k) => ({ finding: `[label:${k}]`, detail: `label ${k}` })),
    ...extra,
  };
}

const cm = (name: string, labels: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'apps', labels, annotations },
});

const suppression = (s: Partial<Suppression> & { id: string }): Suppression => ({
  scope: 'test',
  reason: 'a reason that is long enough to count',
  severity: 'low',
  ...s,
});

const WARN = labelRule('T-WARN-001', 'WARN');
const ERROR = labelRule('T-ERR-001', 'ERROR');
const SUPPRESSIBLE_ERROR = labelRule('T-ERR-002', 'ERROR', { suppressible: true });

describe('runRules', () => {
  test('reports findings with object, construct path, file, rule and fix; sorted; split into errors and roadmap', () => {
    const report = runRules(
      [manifest(cm('b', { 'bad-x': '1' }), 'test/b'), manifest(cm('a', { 'bad-y': '1', 'bad-x': '1' }), 'test/a')],
      [WARN, ERROR],
      [],
    );
    expect(report.findings.map((f) => `${f.file} ${f.ruleId} ${f.finding}`)).toEqual([
      'apps/configmap-a.yaml T-ERR-001 [label:bad-x]',
      'apps/configmap-a.yaml T-ERR-001 [label:bad-y]',
      'apps/configmap-a.yaml T-WARN-001 [label:bad-x]',
      'apps/configmap-a.yaml T-WARN-001 [label:bad-y]',
      'apps/configmap-b.yaml T-ERR-001 [label:bad-x]',
      'apps/configmap-b.yaml T-WARN-001 [label:bad-x]',
    ]);
    expect(report.findings[0]).toEqual({
      ruleId: 'T-ERR-001',
      level: 'ERROR',
      title: 'no bad labels',
      finding: '[label:bad-x]',
      detail: 'label bad-x',
      fix: 'remove the bad label',
      object: 'ConfigMap/apps/a',
      constructPath: 'test/a',
      file: 'apps/configmap-a.yaml',
    });
    expect(report.unsuppressedErrors.every((f) => f.level === 'ERROR')).toBe(true);
    expect(report.unsuppressedErrors).toHaveLength(3);
    expect(report.roadmap.map((f) => f.ruleId)).toEqual(['T-WARN-001', 'T-WARN-001', 'T-WARN-001']);
    expect(report.rules.map((r) => [r.id, r.level, r.suppressible])).toEqual([
      ['T-ERR-001', 'ERROR', false],
      ['T-WARN-001', 'WARN', true],
    ]);
  });

  test('a rule that throws is an unsuppressible ERROR naming the exception', () => {
    const throws: Rule = { ...WARN, id: 'T-THROW-001', check: () => { throw new Error('cannot read spec.x'); } };
    const report = runRules([manifest(cm('a', {}), 'test/a')], [throws], [suppression({ id: 'T-THROW-001' })]);
    expect(report.unsuppressedErrors.map((f) => [f.ruleId, f.level, f.finding])).toEqual([['T-THROW-001', 'ERROR', '[exception]']]);
    expect(report.unsuppressedErrors[0].detail).toContain('cannot read spec.x');
    expect(report.unmatchedSuppressions).toHaveLength(1);
  });

  test('refuses a rule pack with duplicate ids, or an unsuppressible rule that honours an exemption', () => {
    expect(() => runRules([], [WARN, WARN], [])).toThrow(/two rules with id T-WARN-001/);
    expect(() => runRules([], [labelRule('T-ERR-009', 'ERROR', { exemption: 'x' })], [])).toThrow(/cannot be suppressed/);
  });
});

describe('suppressions in runRules', () => {
  const objects = [manifest(cm('a', { 'bad-x': '1', 'bad-y': '1' }), 'test/a/Resource'), manifest(cm('ab', { 'bad-x': '1' }), 'test/ab')];

  test('a narrow suppression covers one finding on the objects under its scope only', () => {
    const report = runRules(objects, [WARN], [suppression({ id: 'T-WARN-001', finding: '[label:bad-x]', scope: 'test/a' })]);
    expect(report.suppressed.map((f) => `${f.object} ${f.finding} ${f.by} ${f.source}`)).toEqual(['ConfigMap/apps/a [label:bad-x] suppression test/a']);
    // test/ab is a sibling, not a child, of test/a
    expect(report.findings.map((f) => `${f.object} ${f.finding}`)).toEqual(['ConfigMap/apps/a [label:bad-y]', 'ConfigMap/apps/ab [label:bad-x]']);
    expect(report.acceptedRisks).toEqual(report.suppressed);
    expect(report.unmatchedSuppressions).toEqual([]);
  });

  test('without a finding it covers every finding of the rule under the scope', () => {
    const report = runRules(objects, [WARN], [suppression({ id: 'T-WARN-001', scope: 'test/a' })]);
    expect(report.suppressed.map((f) => f.finding)).toEqual(['[label:bad-x]', '[label:bad-y]']);
  });

  test('a suppressible ERROR can be suppressed', () => {
    const report = runRules(objects, [SUPPRESSIBLE_ERROR], [suppression({ id: 'T-ERR-002', scope: 'test' })]);
    expect(report.unsuppressedErrors).toEqual([]);
    expect(report.suppressed).toHaveLength(3);
  });

  test('a suppression of an unsuppressible ERROR is refused and suppresses nothing', () => {
    const report = runRules(objects, [ERROR], [suppression({ id: 'T-ERR-001', scope: 'test/a' })]);
    expect(report.refusedSuppressions.map((s) => s.problem)).toEqual(['rule T-ERR-001 is ERROR and cannot be suppressed']);
    expect(report.unsuppressedErrors).toHaveLength(3);
    expect(report.unmatchedSuppressions).toEqual([]);
  });

  test('unmatched suppressions: unknown rule, wrong finding, wrong scope', () => {
    const report = runRules(objects, [WARN], [
      suppression({ id: 'T-NOPE-001' }),
      suppression({ id: 'T-WARN-001', finding: '[label:bad-z]' }),
      suppression({ id: 'T-WARN-001', scope: 'elsewhere' }),
    ]);
    expect(report.unmatchedSuppressions.map((s) => s.problem)).toEqual([
      'no rule has the id T-NOPE-001',
      'no finding of T-WARN-001[label:bad-z] on any object under "test"',
      'no finding of T-WARN-001 on any object under "elsewhere"',
    ]);
  });
});

describe('construct exemptions', () => {
  const exempting = labelRule('T-WARN-002', 'WARN', { exemption: 'bad-labels' });

  test('an exemption annotation with a reason counts as a suppression, reported with its key', () => {
    const o = cm('a', { 'bad-x': '1' }, { 'baseline.homelab.dev/exemption.bad-labels': 'these labels are read by a legacy tool' });
    const report = runRules([manifest(o)], [exempting], []);
    expect(report.findings).toEqual([]);
    expect(report.suppressed.map((f) => [f.by, f.source, f.reason])).toEqual([
      ['exemption', 'baseline.homelab.dev/exemption.bad-labels', 'these labels are read by a legacy tool'],
    ]);
  });

  test.each(['because', 'TODO: write the reason down later', 'n/a - nobody knows why this is here'])(
    'an exemption without a real reason does not count (%s)',
    (reason) => {
      const o = cm('a', { 'bad-x': '1' }, { 'baseline.homelab.dev/exemption.bad-labels': reason });
      expect(runRules([manifest(o)], [exempting], []).findings).toHaveLength(1);
    },
  );

  test('a suppression that only repeats an exemption is unmatched, and says so', () => {
    const o = cm('a', { 'bad-x': '1' }, { 'baseline.homelab.dev/exemption.bad-labels': 'these labels are read by a legacy tool' });
    const report = runRules([manifest(o)], [exempting], [suppression({ id: 'T-WARN-002' })]);
    expect(report.unmatchedSuppressions.map((s) => s.problem)).toEqual([
      'it only repeats the exemption baseline.homelab.dev/exemption.bad-labels on ConfigMap/apps/a',
    ]);
  });

  test('a per-finding exemption on an unsuppressible rule is ignored', () => {
    const rule: Rule = { ...ERROR, check: () => [{ finding: '[x]', detail: 'x', exemption: { what: 'x' } }] };
    const o = cm('a', {}, { 'baseline.homelab.dev/exemption.x': 'a reason that is long enough to count' });
    expect(runRules([manifest(o)], [rule], []).unsuppressedErrors).toHaveLength(1);
  });
});

describe('annotateSuppressions', () => {
  test('one annotation per suppressed rule mapping its findings to their reasons (JSON), deterministically; exemptions not repeated', () => {
    const o = cm('a', { 'bad-x': '1', 'bad-y': '1', 'bad-z': '1' }, { keep: 'me' });
    const exempting = labelRule('T-WARN-003', 'WARN', { exemption: 'bad-labels' });
    const withExemption = { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, 'baseline.homelab.dev/exemption.bad-labels': 'these labels are read by a legacy tool' } } };
    const manifests = [manifest(withExemption)];
    const report = runRules(manifests, [WARN, exempting], [
      suppression({ id: 'T-WARN-001', finding: '[label:bad-z]', reason: 'z is needed by the backup job for now' }),
      suppression({ id: 'T-WARN-001', reason: 'x and y are read by a legacy dashboard' }),
    ]);
    const [annotated] = annotateSuppressions(manifests, report);
    expect(annotated.object.metadata.annotations).toEqual({
      keep: 'me',
      'baseline.homelab.dev/exemption.bad-labels': 'these labels are read by a legacy tool',
      [suppressionAnnotation('T-WARN-001')]: JSON.stringify({
        '[label:bad-x]': 'x and y are read by a legacy dashboard',
        '[label:bad-y]': 'x and y are read by a legacy dashboard',
        '[label:bad-z]': 'z is needed by the backup job for now',
      }),
    });
    expect(suppressionAnnotation('T-WARN-001')).toBe('baseline.homelab.dev/suppress.T-WARN-001');
    // the input is not mutated
    expect(manifests[0].object.metadata.annotations).not.toHaveProperty(suppressionAnnotation('T-WARN-001'));
  });
});
