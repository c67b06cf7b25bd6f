import { Permission, RBAC_GUARANTEES, checkRbacGuarantees } from '../../lib';

const p = (scope: 'cluster' | 'namespace', verb: string, apiGroup: string, resource: string, namespace?: string): Permission =>
  ({ scope, apiGroup, resource, verb, ...(namespace ? { namespace } : {}) });
const broken = (perms: Permission[]) => checkRbacGuarantees(perms, 'ops').map((v) => v.guarantee);

describe('checkRbacGuarantees (pure, for permissions read back from any source)', () => {
  test('every guarantee has a stable id and a title', () => {
    expect(Object.keys(RBAC_GUARANTEES)).toEqual([
      'no-wildcards', 'no-escalation-verbs', 'no-security-writes', 'no-foreign-secrets', 'no-foreign-exec', 'no-create',
      'no-delete', 'no-privileged-bindings',
    ]);
  });

  test('what the seed grants the agent keeps every guarantee', () => {
    expect(broken([
      p('namespace', 'get', '', 'secrets', 'ops'),
      p('namespace', 'create', '', 'pods/exec', 'ops'),
      p('cluster', 'delete', '', 'pods'),
      p('cluster', 'patch', 'argoproj.io', 'applications'),
      p('cluster', 'patch', 'apps', 'deployments/scale'),
    ])).toEqual([]);
  });

  test('a Role in another namespace is "outside its own namespace"', () => {
    expect(broken([p('namespace', 'get', '', 'secrets', 'argocd')])).toEqual(['no-foreign-secrets']);
    expect(broken([p('namespace', 'create', '', 'pods/exec', 'argocd')])).toEqual(['no-foreign-exec']);
  });

  test('one wildcard breaks everything it covers, each listed', () => {
    expect(broken([p('cluster', '*', '*', '*')])).toEqual([
      'no-wildcards', 'no-escalation-verbs', 'no-security-writes', 'no-foreign-secrets', 'no-foreign-exec', 'no-create', 'no-delete',
    ]);
    expect(broken([p('cluster', 'create', 'rbac.authorization.k8s.io', '*/status')])).toEqual(['no-wildcards', 'no-create']);
  });

  test('an escalation verb breaks the guarantee whatever it names', () => {
    expect(broken([p('namespace', 'bind', '', 'configmaps', 'ops')])).toEqual(['no-escalation-verbs']);
  });
});
