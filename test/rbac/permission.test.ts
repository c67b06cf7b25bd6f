import { KubeObject, Permission, effectivePermissions, isAllowed, permissionCovers, permissionKey, permits } from '../../lib';

const cluster = (verb: string, apiGroup: string, resource: string, resourceName?: string): Permission =>
  ({ scope: 'cluster', apiGroup, resource, verb, ...(resourceName ? { resourceName } : {}) });

describe('permits: the RBAC authorizer\'s matching', () => {
  test('exact verb, group and resource', () => {
    const p = cluster('get', 'apps', 'deployments');
    expect(permits(p, { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'x' })).toBe(true);
    expect(permits(p, { verb: 'list', group: 'apps', resource: 'deployments' })).toBe(false);
    expect(permits(p, { verb: 'get', group: '', resource: 'deployments' })).toBe(false);
    expect(permits(p, { verb: 'get', group: 'apps', resource: 'deployments', subresource: 'scale' })).toBe(false);
  });

  test('wildcards: * verb, group and resource; */sub matches any resource\'s sub; pods/* is only a literal', () => {
    expect(permits(cluster('*', '', 'pods'), { verb: 'delete', group: '', resource: 'pods' })).toBe(true);
    expect(permits(cluster('get', '*', 'pods'), { verb: 'get', group: 'metrics.k8s.io', resource: 'pods' })).toBe(true);
    expect(permits(cluster('get', '', '*'), { verb: 'get', group: '', resource: 'pods', subresource: 'exec' })).toBe(true);
    expect(permits(cluster('get', 'apps', '*/scale'), { verb: 'get', group: 'apps', resource: 'statefulsets', subresource: 'scale' })).toBe(true);
    expect(permits(cluster('get', 'apps', '*/scale'), { verb: 'get', group: 'apps', resource: 'statefulsets' })).toBe(false);
    expect(permits(cluster('create', '', 'pods/*'), { verb: 'create', group: '', resource: 'pods', subresource: 'exec' })).toBe(false);
  });

  test('a namespace permission applies only inside its namespace; a cluster one everywhere', () => {
    const p: Permission = { scope: 'namespace', namespace: 'a', apiGroup: '', resource: 'secrets', verb: 'get' };
    expect(permits(p, { verb: 'get', group: '', resource: 'secrets', namespace: 'a' })).toBe(true);
    expect(permits(p, { verb: 'get', group: '', resource: 'secrets', namespace: 'b' })).toBe(false);
    expect(permits(p, { verb: 'get', group: '', resource: 'secrets' })).toBe(false);
    expect(permits(cluster('get', '', 'nodes'), { verb: 'get', group: '', resource: 'nodes' })).toBe(true);
  });

  test('resourceNames restrict to named objects (so never list or create)', () => {
    const p = cluster('get', '', 'configmaps', 'cfg');
    expect(permits(p, { verb: 'get', group: '', resource: 'configmaps', name: 'cfg' })).toBe(true);
    expect(permits(p, { verb: 'get', group: '', resource: 'configmaps', name: 'other' })).toBe(false);
    expect(permits(p, { verb: 'get', group: '', resource: 'configmaps' })).toBe(false);
  });
});

describe('permissionCovers: one permission allows everything another allows', () => {
  const ns = (verb: string, apiGroup: string, resource: string, namespace: string): Permission => ({ scope: 'namespace', namespace, apiGroup, resource, verb });
  const url = (verb: string, resource: string): Permission => ({ scope: 'cluster', apiGroup: '', resource, verb, nonResourceURL: true });

  test('wildcards cover what they match, never the other way round', () => {
    expect(permissionCovers(cluster('*', '*', '*'), cluster('delete', 'apps', 'deployments', 'web'))).toBe(true);
    expect(permissionCovers(cluster('get', 'apps', 'deployments'), cluster('*', 'apps', 'deployments'))).toBe(false);
    expect(permissionCovers(cluster('get', 'apps', 'deployments'), cluster('get', '*', 'deployments'))).toBe(false);
    expect(permissionCovers(cluster('get', '', 'pods'), cluster('get', '', '*'))).toBe(false);
  });

  test('`*/sub` covers each resource\'s sub, and only `*` or itself covers it', () => {
    expect(permissionCovers(cluster('create', '', '*/exec'), cluster('create', '', 'pods/exec'))).toBe(true);
    expect(permissionCovers(cluster('create', '', 'pods/exec'), cluster('create', '', '*/exec'))).toBe(false);
    expect(permissionCovers(cluster('create', '', '*'), cluster('create', '', '*/exec'))).toBe(true);
    expect(permissionCovers(cluster('create', '', '*/exec'), cluster('create', '', 'pods'))).toBe(false);
    expect(permissionCovers(cluster('create', '', 'pods/*'), cluster('create', '', 'pods/exec'))).toBe(false);
  });

  test('resourceNames and namespaces narrow', () => {
    expect(permissionCovers(cluster('get', '', 'secrets'), cluster('get', '', 'secrets', 'token'))).toBe(true);
    expect(permissionCovers(cluster('get', '', 'secrets', 'token'), cluster('get', '', 'secrets'))).toBe(false);
    expect(permissionCovers(cluster('get', '', 'secrets'), ns('get', '', 'secrets', 'a'))).toBe(true);
    expect(permissionCovers(ns('get', '', 'secrets', 'a'), cluster('get', '', 'secrets'))).toBe(false);
    expect(permissionCovers(ns('get', '', 'secrets', 'a'), ns('get', '', 'secrets', 'b'))).toBe(false);
  });

  test('non-resource URLs: the same path, `*` or a `prefix*`; never a resource', () => {
    expect(permissionCovers(url('get', '/metrics*'), url('get', '/metrics/cadvisor'))).toBe(true);
    expect(permissionCovers(url('get', '*'), url('get', '/healthz'))).toBe(true);
    expect(permissionCovers(url('get', '/healthz'), url('get', '/livez'))).toBe(false);
    expect(permissionCovers(url('get', '/healthz'), url('*', '/healthz'))).toBe(false);
    expect(permissionCovers(url('get', '*'), cluster('get', '', '*'))).toBe(false);
    expect(permissionCovers(cluster('get', '*', '*'), url('get', '/healthz'))).toBe(false);
  });
});

describe('effectivePermissions: bindings followed to roles', () => {
  const sa = { namespace: 'ops', name: 'bot' };
  const role = (kind: string, name: string, rules: object[], namespace?: string): KubeObject =>
    ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, namespace }, rules });
  const binding = (kind: string, name: string, roleRef: { kind: string; name: string }, subjects: object[], namespace?: string): KubeObject =>
    ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects });
  const SA_SUBJECT = { kind: 'ServiceAccount', name: 'bot', namespace: 'ops' };
  const objects: KubeObject[] = [
    role('Role', 'r', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'ops'),
    role('Role', 'r', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], 'elsewhere'),
    role('ClusterRole', 'reader', [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments'], verbs: ['list'] }]),
    role('ClusterRole', 'urls', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]),
  ];

  test('a RoleBinding grants its Role (same namespace) and a ClusterRole inside its namespace only', () => {
    const perms = effectivePermissions([
      ...objects,
      binding('RoleBinding', 'rb', { kind: 'Role', name: 'r' }, [SA_SUBJECT], 'ops'),
      binding('RoleBinding', 'rb2', { kind: 'ClusterRole', name: 'reader' }, [SA_SUBJECT], 'team'),
    ], sa).map(permissionKey);
    expect(perms).toEqual([
      'namespace ops: get core/secrets',
      'namespace team: list apps/deployments',
      'namespace team: list apps/pods',
      'namespace team: list core/deployments',
      'namespace team: list core/pods',
    ]);
  });

  test('a ClusterRoleBinding grants cluster-wide, including non-resource URLs', () => {
    const perms = effectivePermissions([
      ...objects,
      binding('ClusterRoleBinding', 'crb', { kind: 'ClusterRole', name: 'urls' }, [SA_SUBJECT]),
    ], sa).map(permissionKey);
    expect(perms).toEqual(['cluster: get core//healthz']);
  });

  test.each<[string, object, number]>([
    ['its ServiceAccount', SA_SUBJECT, 1],
    ['its ServiceAccount, namespace defaulted to the binding\'s', { kind: 'ServiceAccount', name: 'bot' }, 1],
    ['its user name', { kind: 'User', name: 'system:serviceaccount:ops:bot' }, 1],
    ['system:authenticated', { kind: 'Group', name: 'system:authenticated' }, 1],
    ['system:serviceaccounts', { kind: 'Group', name: 'system:serviceaccounts' }, 1],
    ['system:serviceaccounts:ops', { kind: 'Group', name: 'system:serviceaccounts:ops' }, 1],
    ['another namespace\'s ServiceAccounts', { kind: 'Group', name: 'system:serviceaccounts:team' }, 0],
    ['a namesake in another namespace', { kind: 'ServiceAccount', name: 'bot', namespace: 'team' }, 0],
    ['another user', { kind: 'User', name: 'bot' }, 0],
  ])('a subject of %s', (_, subject, count) => {
    const perms = effectivePermissions([...objects, binding('RoleBinding', 'rb', { kind: 'Role', name: 'r' }, [subject], 'ops')], sa);
    expect(perms).toHaveLength(count);
  });

  test('a binding to a role that does not exist grants nothing; duplicates collapse', () => {
    expect(effectivePermissions([binding('ClusterRoleBinding', 'x', { kind: 'ClusterRole', name: 'ghost' }, [SA_SUBJECT])], sa)).toEqual([]);
    const twice = effectivePermissions([
      ...objects,
      binding('RoleBinding', 'a', { kind: 'Role', name: 'r' }, [SA_SUBJECT], 'ops'),
      binding('RoleBinding', 'b', { kind: 'Role', name: 'r' }, [SA_SUBJECT], 'ops'),
    ], sa);
    expect(twice.map(permissionKey)).toEqual(['namespace ops: get core/secrets']);
    expect(isAllowed(twice, { verb: 'get', group: '', resource: 'secrets', namespace: 'ops' })).toBe(true);
  });
});
