import { KubeClusterRole, KubeClusterRoleBinding, KubeRoleBinding, KubeServiceAccount } from 'cdk8s-plus-28/lib/imports/k8s';
import { grantRows, guaranteeStatuses } from '../../lib/report/rbac';
import { ObjectIndex } from '../../lib/report/objects';
import { synthChart } from '../util';

const RBAC = 'rbac.authorization.k8s.io';
const objects = synthChart((chart) => {
  new KubeServiceAccount(chart, 'sa', { metadata: { name: 'bot', namespace: 'ops' } });
  new KubeClusterRole(chart, 'cr', { metadata: { name: 'everything' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
  new KubeClusterRoleBinding(chart, 'crb', {
    metadata: { name: 'bot-everything' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'everything' },
    subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'ops' }],
  });
  new KubeRoleBinding(chart, 'rb', {
    metadata: { name: 'bot-admin', namespace: 'ops' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'admin' },
    subjects: [{ kind: 'Group', name: 'system:serviceaccounts:ops' }],
  });
});
const index = new ObjectIndex(objects);

describe('RBAC tables', () => {
  test('a binding to a role that is not in dist/ is listed, scoped to the binding namespace', () => {
    expect(grantRows(index)).toContainEqual(expect.objectContaining({
      subject: 'Group system:serviceaccounts:ops', scope: 'namespace ops', role: 'ClusterRole admin', roleFound: false,
    }));
  });

  test('broken guarantees are reported as broken, with what breaks them', () => {
    const status = (g: string) => guaranteeStatuses(index).find((s) => s.guarantee === g && s.serviceAccount === 'ops/bot');
    expect(status('no-wildcards')).toMatchObject({ status: 'broken', detail: 'cluster: * */*' });
    expect(status('no-privileged-bindings')).toMatchObject({ status: 'broken', detail: 'RoleBinding bot-admin -> ClusterRole admin' });
  });
});

test('a role nobody is bound to still has its rows', () => {
  const unbound = synthChart((chart) => {
    new KubeClusterRole(chart, 'cr', { metadata: { name: 'spare' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
  });
  expect(grantRows(new ObjectIndex(unbound))).toEqual([expect.objectContaining({
    subject: 'nobody (not bound)', scope: 'cluster-wide', role: 'ClusterRole spare', resources: ['pods'], verbs: ['get'],
  })]);
});
