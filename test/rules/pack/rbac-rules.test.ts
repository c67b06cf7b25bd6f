import {
  argoWrites,
  execInOwnNamespace,
  externalSecretWrites,
  noBroadGroupBindings,
  noBuiltinAdminBindings,
  noExecBeyondOwnNamespace,
  noNamespaceWrites,
  noPolicyWrites,
  noPrivilegeEscalationVerbs,
  noSecretsBeyondOwnNamespace,
  noTokenRequests,
  noWildcards,
  secretsInOwnNamespace,
  workloadWrites,
} from '../../../lib/rules/pack/rbac-rules';
import { binding, findingsOf, role, sa } from '../fixtures';

const read = (resources: string[], apiGroups = ['']) => ({ apiGroups, resources, verbs: ['get', 'list', 'watch'] });
const CR = (name: string) => ({ kind: 'ClusterRole', name });
const R = (name: string) => ({ kind: 'Role', name });

describe('HB-RBAC-001 no wildcards', () => {
  test('compliant: explicit groups, resources, verbs', () => {
    expect(findingsOf(noWildcards, [role('r', [read(['pods'])])])).toEqual([]);
  });

  test('violation: every wildcard field, including */subresource', () => {
    const r = role('r', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { apiGroups: [''], resources: ['*/scale'], verbs: ['get'] },
    ]);
    expect(findingsOf(noWildcards, [r])).toEqual(['[apiGroup:*]', '[resource:*/scale]', '[resource:*]', '[verb:*]']);
  });
});

describe('HB-RBAC-002 no cluster-admin/admin/edit bindings', () => {
  test('compliant: a binding to an own ClusterRole named like nothing built-in', () => {
    expect(findingsOf(noBuiltinAdminBindings, [binding('b', CR('app-reader'), [sa('a', 'apps')])])).toEqual([]);
  });

  test.each(['cluster-admin', 'admin', 'edit'])('violation: %s, by ClusterRoleBinding or RoleBinding', (name) => {
    expect(findingsOf(noBuiltinAdminBindings, [binding('b', CR(name), [sa('a', 'apps')])])).toEqual([`[roleRef:${name}]`]);
    expect(findingsOf(noBuiltinAdminBindings, [binding('b', CR(name), [sa('a', 'apps')], 'apps')])).toEqual([`[roleRef:${name}]`]);
  });

  test('a namespaced Role that happens to be called admin is not the built-in', () => {
    expect(findingsOf(noBuiltinAdminBindings, [binding('b', R('admin'), [sa('a', 'apps')], 'apps')])).toEqual([]);
  });
});

describe('HB-RBAC-003 no escalate/bind/impersonate', () => {
  test('compliant', () => {
    expect(findingsOf(noPrivilegeEscalationVerbs, [role('r', [read(['roles'], ['rbac.authorization.k8s.io'])])])).toEqual([]);
  });

  test('violation: each verb', () => {
    const r = role('r', [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] },
      { apiGroups: [''], resources: ['users', 'serviceaccounts'], verbs: ['impersonate'] },
    ]);
    expect(findingsOf(noPrivilegeEscalationVerbs, [r])).toEqual(['[verb:bind]', '[verb:escalate]', '[verb:impersonate]']);
  });
});

describe('HB-RBAC-004/005 secrets by scope', () => {
  const secretsRole = (ns?: string) => role('s', [read(['secrets'])], ns);

  test('own namespace (Role in X bound to an SA of X): WARN 005, not ERROR 004', () => {
    const objects = [secretsRole('apps'), binding('b', R('s'), [sa('a', 'apps')], 'apps')];
    expect(findingsOf(secretsInOwnNamespace, objects)).toEqual(['[resource:secrets]']);
    expect(findingsOf(noSecretsBeyondOwnNamespace, objects)).toEqual([]);
  });

  test('ClusterRole via ClusterRoleBinding: ERROR 004', () => {
    const objects = [secretsRole(), binding('b', CR('s'), [sa('a', 'apps')])];
    expect(findingsOf(noSecretsBeyondOwnNamespace, objects)).toEqual(['[resource:secrets]']);
    expect(findingsOf(secretsInOwnNamespace, objects)).toEqual([]);
  });

  test('ClusterRole via RoleBinding in the SA\'s own namespace: WARN 005', () => {
    const objects = [secretsRole(), binding('b', CR('s'), [sa('a', 'apps')], 'apps')];
    expect(findingsOf(secretsInOwnNamespace, objects)).toEqual(['[resource:secrets]']);
    expect(findingsOf(noSecretsBeyondOwnNamespace, objects)).toEqual([]);
  });

  test('Role in X bound to an SA of another namespace, or to a user: ERROR 004', () => {
    expect(findingsOf(noSecretsBeyondOwnNamespace, [secretsRole('apps'), binding('b', R('s'), [sa('a', 'other')], 'apps')])).toEqual(['[resource:secrets]']);
    expect(findingsOf(noSecretsBeyondOwnNamespace, [secretsRole('apps'), binding('b', R('s'), [{ kind: 'User', name: 'me' }], 'apps')])).toEqual(['[resource:secrets]']);
  });

  test('write verbs on secrets count as access; a wildcard resource too', () => {
    const objects = [role('s', [{ apiGroups: [''], resources: ['*'], verbs: ['create'] }]), binding('b', CR('s'), [sa('a', 'apps')])];
    expect(findingsOf(noSecretsBeyondOwnNamespace, objects)).toEqual(['[resource:secrets]']);
  });

  test('compliant: no secrets grant; an unbound role reaches no one', () => {
    expect(findingsOf(noSecretsBeyondOwnNamespace, [role('r', [read(['pods'])]), binding('b', CR('r'), [sa('a', 'apps')])])).toEqual([]);
    expect(findingsOf(noSecretsBeyondOwnNamespace, [secretsRole()])).toEqual([]);
  });

  test('a binding in another namespace, or to another role, does not count', () => {
    expect(findingsOf(secretsInOwnNamespace, [secretsRole('apps'), binding('b', R('s'), [sa('a', 'other')], 'other')])).toEqual([]);
    expect(findingsOf(noSecretsBeyondOwnNamespace, [secretsRole(), binding('b', CR('other'), [sa('a', 'apps')])])).toEqual([]);
  });
});

describe('HB-RBAC-006/007 exec, attach, portforward, ephemeralcontainers by scope', () => {
  const exec = (ns?: string) => role('e', [{ apiGroups: [''], resources: ['pods/exec', 'pods/portforward'], verbs: ['create'] }], ns);

  test('own namespace: WARN 006 only', () => {
    const objects = [exec('apps'), binding('b', R('e'), [sa('a', 'apps')], 'apps')];
    expect(findingsOf(execInOwnNamespace, objects)).toEqual(['[resource:pods/exec]', '[resource:pods/portforward]']);
    expect(findingsOf(noExecBeyondOwnNamespace, objects)).toEqual([]);
  });

  test('cluster-wide: ERROR 007 only', () => {
    const objects = [exec(), binding('b', CR('e'), [sa('a', 'apps')])];
    expect(findingsOf(noExecBeyondOwnNamespace, objects)).toEqual(['[resource:pods/exec]', '[resource:pods/portforward]']);
    expect(findingsOf(execInOwnNamespace, objects)).toEqual([]);
  });

  test('the kubelet and API-server proxies count as exec (one list with the agent guarantees)', () => {
    const r = role('p', [{ apiGroups: [''], resources: ['nodes/proxy', 'pods/proxy', 'services/proxy'], verbs: ['get'] }]);
    expect(findingsOf(noExecBeyondOwnNamespace, [r, binding('b', CR('p'), [sa('a', 'apps')])])).toEqual([
      '[resource:nodes/proxy]',
      '[resource:pods/proxy]',
      '[resource:services/proxy]',
    ]);
  });

  test('*/attach matches pods/attach; ephemeral containers count', () => {
    const r = role('e', [{ apiGroups: [''], resources: ['*/attach', 'pods/ephemeralcontainers'], verbs: ['patch', 'create'] }]);
    expect(findingsOf(noExecBeyondOwnNamespace, [r, binding('b', CR('e'), [sa('a', 'apps')])])).toEqual([
      '[resource:pods/attach]',
      '[resource:pods/ephemeralcontainers]',
    ]);
  });

  test('compliant: pods/log is not exec', () => {
    const r = role('e', [read(['pods', 'pods/log'])]);
    expect(findingsOf(noExecBeyondOwnNamespace, [r, binding('b', CR('e'), [sa('a', 'apps')])])).toEqual([]);
  });
});

describe('HB-RBAC-008 workload writes (WARN)', () => {
  test('compliant: read, scale subresource, delete pods', () => {
    const r = role('w', [
      read(['deployments', 'statefulsets'], ['apps']),
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    ]);
    expect(findingsOf(workloadWrites, [r])).toEqual([]);
  });

  test('violation: one finding per resource and verb', () => {
    const r = role('w', [
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'patch'] },
      { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['create', 'update'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['create'] },
    ]);
    expect(findingsOf(workloadWrites, [r])).toEqual([
      '[resource:cronjobs][verb:create]',
      '[resource:cronjobs][verb:update]',
      '[resource:deployments][verb:patch]',
      '[resource:pods][verb:create]',
      '[resource:statefulsets][verb:patch]',
    ]);
  });

  test('the API group matters: a CRD called deployments elsewhere is not a workload', () => {
    expect(findingsOf(workloadWrites, [role('w', [{ apiGroups: ['example.com'], resources: ['deployments'], verbs: ['patch'] }])])).toEqual([]);
  });
});

describe('HB-RBAC-009 namespace writes', () => {
  test('compliant: read namespaces', () => {
    expect(findingsOf(noNamespaceWrites, [role('n', [read(['namespaces'])])])).toEqual([]);
  });

  test('violation: patch and update (can strip PSS labels), create', () => {
    const r = role('n', [{ apiGroups: [''], resources: ['namespaces'], verbs: ['create', 'patch', 'update'] }]);
    expect(findingsOf(noNamespaceWrites, [r])).toEqual([
      '[resource:namespaces][verb:create]',
      '[resource:namespaces][verb:patch]',
      '[resource:namespaces][verb:update]',
    ]);
  });
});

describe('HB-RBAC-010 writes to NetworkPolicies or RBAC', () => {
  test('compliant: read them', () => {
    const r = role('p', [read(['networkpolicies'], ['networking.k8s.io']), read(['roles', 'clusterrolebindings'], ['rbac.authorization.k8s.io'])]);
    expect(findingsOf(noPolicyWrites, [r])).toEqual([]);
  });

  test('violation: delete a NetworkPolicy, patch a ClusterRoleBinding', () => {
    const r = role('p', [
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['delete'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings'], verbs: ['patch'] },
    ]);
    expect(findingsOf(noPolicyWrites, [r])).toEqual(['[resource:clusterrolebindings][verb:patch]', '[resource:networkpolicies][verb:delete]']);
  });
});

describe('HB-RBAC-011 serviceaccounts/token create', () => {
  test('compliant: read serviceaccounts', () => {
    expect(findingsOf(noTokenRequests, [role('t', [read(['serviceaccounts'])])])).toEqual([]);
  });

  test('violation', () => {
    const r = role('t', [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }]);
    expect(findingsOf(noTokenRequests, [r])).toEqual(['[resource:serviceaccounts/token][verb:create]']);
  });
});

describe('HB-RBAC-012 no broad group bindings', () => {
  test('compliant: a ServiceAccount, a named user', () => {
    expect(findingsOf(noBroadGroupBindings, [binding('b', CR('r'), [sa('a', 'apps'), { kind: 'User', name: 'me' }])])).toEqual([]);
  });

  test('violation: everyone-groups and the anonymous user', () => {
    const b = binding('b', CR('r'), [
      { kind: 'Group', name: 'system:authenticated' },
      { kind: 'Group', name: 'system:unauthenticated' },
      { kind: 'Group', name: 'system:serviceaccounts' },
      { kind: 'Group', name: 'system:serviceaccounts:apps' },
      { kind: 'User', name: 'system:anonymous' },
    ]);
    expect(findingsOf(noBroadGroupBindings, [b])).toEqual([
      '[subject:Group/system:authenticated]',
      '[subject:Group/system:serviceaccounts:apps]',
      '[subject:Group/system:serviceaccounts]',
      '[subject:Group/system:unauthenticated]',
      '[subject:User/system:anonymous]',
    ]);
  });
});

describe('HB-RBAC-013 External Secrets writes (WARN)', () => {
  test('compliant: read ExternalSecrets', () => {
    expect(findingsOf(externalSecretWrites, [role('x', [read(['externalsecrets'], ['external-secrets.io'])])])).toEqual([]);
  });

  test('violation: patch ExternalSecrets', () => {
    const r = role('x', [{ apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: ['patch'] }]);
    expect(findingsOf(externalSecretWrites, [r])).toEqual(['[resource:externalsecrets][verb:patch]']);
  });
});

describe('HB-RBAC-014 ArgoCD writes (WARN)', () => {
  test('compliant: read Applications', () => {
    expect(findingsOf(argoWrites, [role('a', [read(['applications', 'appprojects'], ['argoproj.io'])])])).toEqual([]);
  });

  test('violation: patch Applications, create AppProjects', () => {
    const r = role('a', [
      { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['patch'] },
      { apiGroups: ['argoproj.io'], resources: ['appprojects'], verbs: ['create'] },
    ]);
    expect(findingsOf(argoWrites, [r])).toEqual(['[resource:applications][verb:patch]', '[resource:appprojects][verb:create]']);
  });
});
