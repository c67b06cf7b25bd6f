import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import {
  AggregateBaselineError,
  DefaultDenyPolicies,
  HardenedNamespace,
  Suppressions,
  baselineRules,
  collectManifests,
  enforceRules,
  toYaml,
  writeManifests,
} from '../../lib';
import { tempDir, treeDigest } from '../util';

const REASON = 'a reason that is long enough to count';

/** A compliant namespace, plus whatever `extra` adds to its chart. */
function app(extra: (chart: Chart) => void = () => undefined): App {
  const a = new App();
  const chart = new Chart(a, 'apps');
  new DefaultDenyPolicies(chart, 'Network', { namespace: new HardenedNamespace(chart, 'Namespace', { name: 'apps' }) });
  extra(chart);
  return a;
}

const wildcardRole = (chart: Chart) =>
  new ApiObject(chart, 'Admin', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'everything' },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }],
  } as any);

const readSecrets = (chart: Chart) => {
  const role = new ApiObject(chart, 'Role', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'reader', namespace: 'apps' },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
  } as any);
  new ApiObject(chart, 'Binding', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'reader', namespace: 'apps' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'apps' }],
  } as any);
  return role;
};

function run(a: App, reportFile?: string) {
  return enforceRules(a, collectManifests(a), { rules: baselineRules(), reportFile });
}

function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AggregateBaselineError);
    return (e as Error).message;
  }
  throw new Error('expected synth to fail');
}

test('a compliant app passes, comes back unchanged, and logs a one-line summary', () => {
  const a = app();
  const lines: string[] = [];
  expect(enforceRules(a, collectManifests(a), { rules: baselineRules(), log: (l) => lines.push(l) })).toEqual(collectManifests(a));
  expect(lines).toEqual([`rule pack: ${baselineRules().length} rules, 0 unsuppressed ERROR, 0 accepted risk(s), 0 WARN on the roadmap`]);
});

test('an unsuppressed ERROR fails with construct path, rule, object, finding, file and fix', () => {
  const message = failure(() => run(app(wildcardRole)));
  expect(message).toContain(
    '[apps/Admin] HB-RBAC-001 No wildcards in RBAC rules: ClusterRole//everything [apiGroup:*] (dist/_cluster/clusterrole-everything.yaml): ' +
      'ClusterRole everything uses the wildcard [apiGroup:*]. Fix: list the apiGroups, resources and verbs the subject needs',
  );
  expect(message).toContain('HB-RBAC-001 No wildcards in RBAC rules: ClusterRole//everything [resource:*]');
});

test('the report is written outside dist/ even when synth fails, and is deterministic JSON', () => {
  const dir = tempDir('rules-report-');
  const file = path.join(dir, 'reports', 'rules.json');
  failure(() => run(app(wildcardRole), file));
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(report.unsuppressedErrors.map((f: { ruleId: string }) => f.ruleId)).toContain('HB-RBAC-001');
  const first = fs.readFileSync(file, 'utf8');
  failure(() => run(app(wildcardRole), file));
  expect(fs.readFileSync(file, 'utf8')).toBe(first);
});

test('main\'s pipeline order (collect → rules → write) leaves the output folder untouched on failure', () => {
  const out = tempDir('rules-dist-');
  writeManifests(out, collectManifests(app()));
  const before = treeDigest(out);
  const bad = app(wildcardRole);
  expect(() => writeManifests(out, enforceRules(bad, collectManifests(bad), { rules: baselineRules() }))).toThrow(/HB-RBAC-001/);
  expect(treeDigest(out)).toEqual(before);
});

test('a suppression is emitted as an annotation in the written YAML and listed in the report', () => {
  const dir = tempDir('rules-suppressed-');
  const a = app((chart) => Suppressions.add(readSecrets(chart), { id: 'HB-RBAC-005', finding: '[resource:secrets]', reason: REASON, severity: 'low' }));
  const manifests = run(a, path.join(dir, 'rules.json'));
  const role = manifests.find((m) => m.object.kind === 'Role')!;
  expect(toYaml(role.object)).toContain(`baseline.homelab.dev/suppress.HB-RBAC-005: '{"[resource:secrets]":"${REASON}"}'`);
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'rules.json'), 'utf8'));
  expect(report.acceptedRisks.map((f: any) => [f.ruleId, f.object, f.finding, f.reason])).toEqual([
    ['HB-RBAC-005', 'Role/apps/reader', '[resource:secrets]', REASON],
  ]);
});

test('an unsuppressed WARN does not fail synth: it is on the roadmap', () => {
  const a = app(readSecrets);
  const dir = tempDir('rules-warn-');
  run(a, path.join(dir, 'rules.json'));
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'rules.json'), 'utf8'));
  expect(report.roadmap.map((f: any) => `${f.ruleId} ${f.object} ${f.finding}`)).toEqual(['HB-RBAC-005 Role/apps/reader [resource:secrets]']);
});

describe('fails if', () => {
  test('a suppression matches nothing', () => {
    const a = app((chart) => Suppressions.add(chart, { id: 'HB-POD-013', reason: REASON, severity: 'low' }));
    expect(failure(() => run(a))).toContain(
      '[apps] suppression of HB-POD-013 refused: no finding of HB-POD-013 on any object under "apps". Fix: remove the suppression',
    );
  });

  test('a suppression names an unsuppressible ERROR, even one that matches', () => {
    const a = app((chart) => Suppressions.add(wildcardRole(chart), { id: 'HB-RBAC-001', reason: REASON, severity: 'low' }));
    const message = failure(() => run(a));
    expect(message).toContain('[apps/Admin] suppression of HB-RBAC-001 refused: rule HB-RBAC-001 is ERROR and cannot be suppressed');
    expect(message).toContain('[apps/Admin] HB-RBAC-001 No wildcards');
  });
});
