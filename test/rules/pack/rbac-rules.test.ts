import { KubeObject, checkRbacGuarantees, runRules } from '../../../lib';
import { expandRule } from '../../../lib/rbac/permission';
import { ESCALATION_VERBS, SECURITY_RESOURCES, WRITE_VERBS } from '../../../lib/rbac/guarantees';
import {
  RBAC_RULES,
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
import { binding, findingsOf, manifest, role, sa } from '../fixtures';

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

describe('one list with the agent guarantees (lib/rbac/guarantees)', () => {
  /** Every finding of the whole RBAC rule pack on the first object, as `RULE-ID [finding]`. */
  const packFindings = (objects: KubeObject[]) =>
    runRules(objects.map((o) => manifest(o)), RBAC_RULES, []).findings.map((f) => `${f.ruleId} ${f.finding}`);

  test('the cases the rule pack missed: admission webhooks, namespaces/status, certificate signers', () => {
    const rules = [
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['update'] },
      { apiGroups: [''], resources: ['namespaces/status'], verbs: ['update'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] },
    ];
    // The agent guarantees reject all three...
    expect(checkRbacGuarantees(rules.flatMap((r) => expandRule(r, 'cluster')), 'ops').map((v) => v.guarantee)).toEqual([
      'no-security-writes',
      'no-security-writes',
      'no-escalation-verbs',
    ]);
    // ...and so does the rule pack, each as an ERROR.
    expect(packFindings([role('c', rules)])).toEqual([
      'HB-RBAC-003 [verb:approve]',
      'HB-RBAC-009 [resource:namespaces/status][verb:update]',
      'HB-RBAC-010 [resource:validatingwebhookconfigurations][verb:update]',
    ]);
    const report = runRules([manifest(role('c', rules))], RBAC_RULES, []);
    expect(report.unsuppressedErrors).toHaveLength(3);
  });

  test('HB-RBAC-003 flags sign too', () => {
    const r = role('c', [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['sign'] }]);
    expect(findingsOf(noPrivilegeEscalationVerbs, [r])).toEqual(['[verb:sign]']);
  });

  test.each(SECURITY_RESOURCES.flatMap((t) => WRITE_VERBS.map((verb) => [t.group, t.resource, verb])))(
    'every write the guarantees forbid is a rule-pack finding: %s %s %s',
    (group, resource, verb) => {
      const r = role('w', [{ apiGroups: [group], resources: [resource], verbs: [verb] }]);
      const found = runRules([manifest(r)], RBAC_RULES, []).findings;
      expect(found.map((f) => f.finding)).toContain(`[resource:${resource}][verb:${verb}]`);
      // Only Argo CD objects stay WARN (HB-RBAC-014); every other GitOps-only object is an ERROR.
      if (group !== 'argoproj.io') expect(found.some((f) => f.level === 'ERROR')).toBe(true);
    },
  );

  test.each([...ESCALATION_VERBS])('every escalation verb is an ERROR finding: %s', (verb) => {
    const r = role('e', [{ apiGroups: ['example.com'], resources: ['things'], verbs: [verb] }]);
    expect(findingsOf(noPrivilegeEscalationVerbs, [r])).toEqual([`[verb:${verb}]`]);
  });

  test('a grant narrowed by resourceNames still counts; a wildcard verb is reported as granted', () => {
    const r: KubeObject = {
      ...role('n', []),
      rules: [{ apiGroups: [''], resources: ['namespaces'], resourceNames: ['apps'], verbs: ['patch'] }, { apiGroups: [''], resources: ['namespaces'], verbs: ['*'] }],
    };
    expect(findingsOf(noNamespaceWrites, [r])).toEqual(['[resource:namespaces][verb:*]', '[resource:namespaces][verb:patch]']);
  });

  test('a non-resource URL names no resource: nonResourceURLs ["*"] is a wildcard, not secrets access', () => {
    const r = role('u', [{ nonResourceURLs: ['*'], verbs: ['get'] } as never]);
    const objects = [r, binding('b', CR('u'), [sa('a', 'apps')])];
    expect(findingsOf(noSecretsBeyondOwnNamespace, objects)).toEqual([]);
    expect(findingsOf(noWildcards, objects)).toEqual(['[nonResourceURL:*]']);
  });

  test('a Role without a namespace is reached by RoleBindings to its name in any namespace', () => {
    const objects = [role('s', [read(['secrets'])]), binding('b', R('s'), [sa('a', 'other')], 'apps')];
    objects[0] = { ...objects[0], kind: 'Role' };
    expect(findingsOf(noSecretsBeyondOwnNamespace, objects)).toEqual(['[resource:secrets]']);
  });
});

describe('reach is computed once per role and run (binding index)', () => {
  test('a ClusterRole bound by both binding kinds: each rule sees every binding, in file order', () => {
    const objects = [
      role('s', [read(['secrets', 'pods/exec'])]),
      binding('own', CR('s'), [sa('a', 'apps')], 'apps'),
      binding('wide', CR('s'), [sa('b', 'ops')]),
      binding('unrelated', CR('t'), [sa('c', 'ops')]),
    ];
    const report = runRules(objects.map((o) => manifest(o)), RBAC_RULES, []);
    const at = (id: string) => report.findings.filter((f) => f.ruleId === id).map((f) => `${f.finding} ${f.detail}`);
    expect(at('HB-RBAC-004')).toEqual([
      '[resource:secrets] ClusterRole s grants get,list,watch on secrets to ServiceAccount/ops/b cluster-wide via ClusterRoleBinding/wide',
    ]);
    expect(at('HB-RBAC-005')).toEqual([
      '[resource:secrets] ClusterRole s grants get,list,watch on secrets to ServiceAccount/apps/a in namespace apps via RoleBinding/apps/own',
    ]);
    expect(at('HB-RBAC-006').map((f) => f.split(' ')[0])).toEqual(['[resource:pods/exec]']);
    expect(at('HB-RBAC-007').map((f) => f.split(' ')[0])).toEqual(['[resource:pods/exec]']);
  });

  test('two runs over the same role objects do not share reach', () => {
    const r = role('s', [read(['secrets'])]);
    expect(findingsOf(noSecretsBeyondOwnNamespace, [r])).toEqual([]);
    expect(findingsOf(noSecretsBeyondOwnNamespace, [r, binding('b', CR('s'), [sa('a', 'apps')])])).toEqual(['[resource:secrets]']);
  });
});
