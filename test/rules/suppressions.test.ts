import { ApiObject, App, Chart } from 'cdk8s';
import { Suppressions } from '../../lib';

function tree() {
  const app = new App();
  const chart = new Chart(app, 'apps');
  const object = new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'apps' } });
  return { app, chart, object };
}

const REASON = 'a reason that is long enough to count';

test('collects suppressions with the construct path of their scope, in tree order', () => {
  const { app, chart, object } = tree();
  Suppressions.add(object, { id: 'HB-POD-013', reason: REASON, severity: 'low' });
  Suppressions.add(chart, { id: 'HB-RBAC-005', finding: '[resource:secrets]', reason: `  ${REASON}  `, severity: 'low' });
  expect(Suppressions.collect(app)).toEqual([
    { id: 'HB-RBAC-005', finding: '[resource:secrets]', reason: REASON, severity: 'low', scope: 'apps' },
    { id: 'HB-POD-013', finding: undefined, reason: REASON, severity: 'low', scope: 'apps/Config' },
  ]);
  expect(Suppressions.collect(object)).toHaveLength(1);
});

describe('fails if', () => {
  test.each([[undefined], [''], ['too short'], ['TODO: explain this later please']])('the reason is %p', (reason) => {
    const { object } = tree();
    expect(() => Suppressions.add(object, { id: 'HB-POD-013', reason: reason as string, severity: 'low' })).toThrow(
      /\[apps\/Config\] suppression of HB-POD-013 needs a written reason.*Allowed: a sentence of at least 20 characters.*Fix:/,
    );
  });

  test.each([[undefined], ['severe'], ['Low']])('the severity is %p', (severity) => {
    const { object } = tree();
    expect(() => Suppressions.add(object, { id: 'HB-POD-013', reason: REASON, severity: severity as any })).toThrow(
      /\[apps\/Config\] suppression of HB-POD-013 needs a risk level: .*Allowed: minimal, low, medium, high, critical/,
    );
  });

  test.each(['hb-pod-013', 'POD13', '', 'HB POD 013'])('the rule id is %p', (id) => {
    const { object } = tree();
    expect(() => Suppressions.add(object, { id, reason: REASON, severity: 'low' })).toThrow(/\[apps\/Config\] invalid rule id in suppression.*Fix: copy the id/);
  });

  test.each(['resource:secrets', '[resource:secrets', 'x[a]'])('the finding is %p', (finding) => {
    const { object } = tree();
    expect(() => Suppressions.add(object, { id: 'HB-RBAC-005', finding, reason: REASON, severity: 'low' })).toThrow(/invalid finding in suppression/);
  });

  test('the same rule and finding is suppressed twice on one scope', () => {
    const { object } = tree();
    Suppressions.add(object, { id: 'HB-RBAC-005', finding: '[resource:secrets]', reason: REASON, severity: 'low' });
    expect(() => Suppressions.add(object, { id: 'HB-RBAC-005', finding: '[resource:secrets]', reason: REASON, severity: 'low' })).toThrow(/duplicate suppression: "HB-RBAC-005\[resource:secrets\]"/);
  });
});
