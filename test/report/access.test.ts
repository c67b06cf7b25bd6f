import { KubeClusterRoleBinding, KubeRole, KubeRoleBinding } from 'cdk8s-plus-28/lib/imports/k8s';
import { ruleDocAnnotation } from '../../lib';
import { accessLevel, accessRows, highestRisk, renderRbacAccess } from '../../lib/report/access';
import { ObjectIndex } from '../../lib/report/objects';
import { synthChart } from '../util';
import { smallCluster } from './fixture';

const AGENT = { namespace: 'web', name: 'agent' };
const CLUSTER = 'all namespaces and cluster-scoped objects';

describe('what an identity CAN access, from its effective permissions', () => {
  test('one row per place and set of verbs; risk from the rule annotations, unrated where a rule has none', () => {
    const rows = accessRows(new ObjectIndex(smallCluster()), AGENT);
    // The fixture's Role (namespace web) and ClusterRole (cluster-wide), resolved through their bindings.
    expect(rows).toEqual([
      { serviceAccount: 'web/agent', where: CLUSTER, resources: ['jobs.batch'], access: 'delete', risk: { level: 'medium', note: 'can delete any job' } },
      { serviceAccount: 'web/agent', where: CLUSTER, resources: ['deployments.apps'], access: 'get + watch' },
      { serviceAccount: 'web/agent', where: 'namespace web', resources: ['pods', 'pods/log'], access: 'get + list' },
    ]);
  });

  test('an identity without bindings can access nothing; a new binding through a group shows up', () => {
    const objects = smallCluster();
    expect(accessRows(new ObjectIndex(objects), { namespace: 'web', name: 'site' })).toEqual([]);
    const widened = [...objects, ...synthChart((c) => {
      new KubeClusterRoleBinding(c, 'all-sas', {
        metadata: { name: 'every-sa-reads' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'agent-read' },
        subjects: [{ kind: 'Group', name: 'system:serviceaccounts', apiGroup: 'rbac.authorization.k8s.io' }],
      });
    })];
    const rows = accessRows(new ObjectIndex(widened), { namespace: 'web', name: 'site' });
    expect(rows.map((r) => `${r.where}: ${r.access} ${r.resources.join(',')}`)).toEqual([
      `${CLUSTER}: delete jobs.batch`,
      `${CLUSTER}: get + watch deployments.apps`,
    ]);
    expect(renderRbacAccess(new ObjectIndex(widened))).toContain('| `web/site` |');
  });

  test('resources with the same verbs but different risks are separate rows, each with its own rating', () => {
    const objects = synthChart((c) => {
      new KubeRole(c, 'r', {
        metadata: {
          name: 'reader',
          namespace: 'x',
          annotations: {
            [ruleDocAnnotation(0, 'purpose')]: 'read pods for status',
            [ruleDocAnnotation(0, 'risk')]: 'low: read-only',
            [ruleDocAnnotation(1, 'purpose')]: 'read the config of everything',
            [ruleDocAnnotation(1, 'risk')]: 'high: configs hold URLs and flags',
          },
        },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
      });
      new KubeRoleBinding(c, 'rb', {
        metadata: { name: 'reader', namespace: 'x' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'x' }],
      });
    });
    expect(accessRows(new ObjectIndex(objects), { namespace: 'x', name: 'bot' }).map((r) => [r.resources, r.access, r.risk])).toEqual([
      [['configmaps'], 'get', { level: 'high', note: 'configs hold URLs and flags' }],
      [['pods'], 'get', { level: 'low', note: 'read-only' }],
    ]);
  });

  test.each<[string[], string]>([
    [['get', 'list', 'watch'], 'read (get, list, watch)'],
    [['watch', 'patch', 'get', 'list'], 'read (get, list, watch) + patch'],
    [['patch', 'get'], 'get + patch'],
    [['delete', 'create'], 'create + delete'],
    [['get', '*'], 'every verb (*)'],
  ])('access level of %j is %s', (verbs, level) => {
    expect(accessLevel(verbs)).toBe(level);
  });

  test('the highest risk wins; its notes only when every risk at that level has one', () => {
    expect(highestRisk([{ level: 'low', note: 'read-only' }, { level: 'medium', note: 'restart' }, { level: 'medium', note: 'scale' }]))
      .toEqual({ level: 'medium', note: 'restart; scale' });
    expect(highestRisk([{ level: 'low', note: 'read-only' }, { level: 'low' }])).toEqual({ level: 'low' });
    expect(highestRisk([{ level: 'critical' }, { level: 'minimal', note: 'x' }])).toEqual({ level: 'critical' });
  });
});
