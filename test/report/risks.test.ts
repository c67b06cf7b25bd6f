import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { ContainerImage, HardenedDeployment, KubeObject, Rule, RiskSource, Volume, runRules } from '../../lib';
import { exemptionSeverity, severityAnnotation } from '../../lib/annotations';
import { AcceptedRisk, registerOrder, renderRiskSummary, resolveRiskReferences } from '../../lib/report/risks';
import { manifest } from '../rules/fixtures';
import { synthChart } from '../util';

const ROOT = path.resolve(__dirname, '..', '..');
const risk = (ruleId: string, object: string, finding: string, extra: Partial<AcceptedRisk> = {}): AcceptedRisk =>
  ({ ruleId, object, finding, reason: 'a reason that is long enough to count', ...extra });
const source = (...acceptedRisks: AcceptedRisk[]): RiskSource => ({ acceptedRisks, roadmap: [] });

describe('the risk register: severity per accepted risk, one anchor per row', () => {
  test('severity shown per row (unrated when the suppression or exemption gives none), rows anchored by number', () => {
    const rendered = renderRiskSummary(source(
      risk('HB-B', 'Role/b/x', '[a]', { severity: 'high' }),
      risk('HB-A', 'Role/a/x', '[a]'),
    ));
    const rows = rendered.split('\n').slice(2);
    expect(rows[0]).toMatch(/^\| <a id="risk-1"><\/a>1 \| `HB-A` \| `Role\/a\/x` \| `\[a\]` \| unrated \|/);
    expect(rows[1]).toMatch(/^\| <a id="risk-2"><\/a>2 \| `HB-B` \| `Role\/b\/x` \| `\[a\]` \| High \|/);
  });

  test('a suppression\'s severity and an exemption\'s severity annotation reach the accepted risks', () => {
    const rule: Rule = {
      id: 'HB-T-001', level: 'WARN', title: 't', why: 'w', fix: 'f', exemption: 'thing',
      check: (o) => (o.metadata.labels?.bad ? [{ finding: '[bad]', detail: 'bad' }] : []),
    };
    const cm = (name: string, annotations?: Record<string, string>): KubeObject =>
      ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'n', labels: { bad: 'x' }, annotations } });
    const report = runRules([
      manifest(cm('exempted', {
        'baseline.homelab.dev/exemption.thing': 'the reason this one is exempted',
        [severityAnnotation('thing')]: 'critical',
      })),
      manifest(cm('suppressed'), 'test/suppressed'),
    ], [rule], [{ id: 'HB-T-001', reason: 'a reason that is long enough to count', severity: 'minimal', scope: 'test/suppressed' }]);
    expect(report.acceptedRisks.map((r) => [r.object, r.by, r.severity])).toEqual([
      ['ConfigMap/n/exempted', 'exemption', 'critical'],
      ['ConfigMap/n/suppressed', 'suppression', 'minimal'],
    ]);
  });

  test('HardenedDeployment emits each exemption\'s severity per subject, next to its reason', () => {
    const [deployment] = synthChart((c: Chart) => new HardenedDeployment(c, 'd', {
      name: 'app', namespace: 'n', runAsUser: 1000, runAsGroup: 1000,
      image: ContainerImage.localBuild('app:latest', { reason: 'built on the node from the pinned submodule', severity: 'low' }),
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
      volumeMounts: [
        { volume: Volume.hostPath('docs', '/srv/docs', { reason: 'static files the host renders', severity: 'medium' }), mountPath: '/docs' },
        { volume: Volume.hostPath('notes', '/srv/notes', { reason: 'notes the host renders, unrated' }), mountPath: '/notes' },
      ],
    })).filter((o) => o.kind === 'Deployment');
    const annotations = deployment.metadata.annotations;
    expect(exemptionSeverity(annotations, 'hostpath', 'docs')).toBe('medium');
    expect(exemptionSeverity(annotations, 'hostpath', 'notes')).toBeUndefined();
    expect(exemptionSeverity(annotations, 'unpinned-image', 'app')).toBe('low');
  });
});

describe('cross-references to accepted risks', () => {
  const risks = source(risk('HB-X', 'Role/a/r', '[a]'), risk('HB-X', 'Role/a/r', '[b]'), risk('HB-Y', 'Role/c/r', '[a]'));

  test('a reference links to the number of the row it names; several rows when no finding narrows it', () => {
    expect(resolveRiskReferences('see {{risk HB-Y Role/c/r}}.', risks, 't')).toBe('see [Risk #3](#risk-3).');
    expect(resolveRiskReferences('{{risk HB-X Role/a/r [b]}}', risks, 't')).toBe('[Risk #2](#risk-2)');
    expect(resolveRiskReferences('{{risk HB-X Role/a/r}}', risks, 't')).toBe('[Risk #1](#risk-1) and [Risk #2](#risk-2)');
  });

  test('a risk added before the target renumbers the row and the link follows', () => {
    const more = source(risk('HB-A', 'Role/a/a', '[z]'), ...risks.acceptedRisks);
    const n = registerOrder(more).findIndex((r) => r.ruleId === 'HB-Y') + 1;
    expect(n).toBe(4);
    expect(resolveRiskReferences('{{risk HB-Y Role/c/r}}', more, 't')).toBe(`[Risk #${n}](#risk-${n})`);
  });

  test.each<[string, string, RegExp]>([
    ['a missing target', '{{risk HB-Z Role/c/r}}', /\[t\] risk reference names no row of the risk register: "\{\{risk HB-Z Role\/c\/r\}\}". Allowed: one of the accepted risks: HB-X Role\/a\/r \[a\]/],
    ['a hand-numbered reference', 'as Risk #3 says', /\[t\] hand-numbered risk reference: "Risk #3". Allowed: a reference the generator numbers/],
    ['a malformed reference', '{{risk Role/c/r}}', /\[t\] malformed risk reference: "\{\{risk Role\/c\/r\}\}"/],
  ])('%s fails', (_, text, message) => {
    expect(() => resolveRiskReferences(text, risks, 't')).toThrow(message);
  });

  test('docs/security.md: every "Risk #N" links to row N, and each reference of the template to the rows it names', () => {
    const report = fs.readFileSync(path.join(ROOT, 'docs', 'security.md'), 'utf8');
    const template = fs.readFileSync(path.join(ROOT, 'docs', 'security.template.md'), 'utf8');
    // The register's rows, by anchor: rule id and object of each.
    const rows = new Map<number, { ruleId: string; object: string; finding: string }>();
    for (const m of report.matchAll(/^\| <a id="risk-(\d+)"><\/a>\1 \| `([^`]+)`[^|]* \| `([^`]+)` \| `([^`]+)` \|/gm)) {
      expect(rows.has(Number(m[1]))).toBe(false);
      rows.set(Number(m[1]), { ruleId: m[2], object: m[3], finding: m[4] });
    }
    expect(rows.size).toBeGreaterThan(0);
    // Every mention is a link, to the anchor of its own number, and the anchor exists.
    const mentions = [...report.matchAll(/Risks? #(\d+)/g)];
    expect(mentions.length).toBeGreaterThan(0);
    for (const m of mentions) {
      const n = Number(m[1]);
      expect(report.slice(m.index! - 1, m.index! + m[0].length + 9 + String(n).length)).toBe(`[Risk #${n}](#risk-${n})`);
      expect(rows.has(n)).toBe(true);
    }
    // The template's references, in order, against the link groups that replaced them.
    const references = [...template.matchAll(/\{\{risk (\S+) (\S+?)(?: (\S+))?\}\}/g)];
    const groups = [...report.matchAll(/\[Risk #\d+\]\(#risk-\d+\)(?: and \[Risk #\d+\]\(#risk-\d+\))*/g)];
    expect(groups).toHaveLength(references.length);
    references.forEach((ref, i) => {
      for (const n of [...groups[i][0].matchAll(/#risk-(\d+)/g)].map((m) => Number(m[1]))) {
        expect(rows.get(n)).toMatchObject({ ruleId: ref[1], object: ref[2], ...(ref[3] ? { finding: ref[3] } : {}) });
      }
    });
  });
});
