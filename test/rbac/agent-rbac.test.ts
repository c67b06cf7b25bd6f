import { App, Chart } from 'cdk8s';
import { KubeClusterRoleBinding, KubeRoleBinding } from 'cdk8s-plus-28/lib/imports/k8s';
import {
  AgentRbac,
  AgentRbacProps,
  ApiGroup,
  GrantOptions,
  HardenedNamespace,
  Resource,
  RuleGuarantee,
  collectManifests,
  effectivePermissions,
  permissionKey,
  toYaml,
} from '../../lib';
import { ruleDoc } from '../../lib/annotations';
import { all, find, synthChart, synthManifests } from '../util';

const REASON = 'the agent drains nodes during the monthly maintenance window';
const DOC: GrantOptions = { purpose: 'what the test agent does with it', risk: { level: 'low' } };
const core = Resource.core;
const apps = Resource.apps;

function agent(build: (a: AgentRbac, c: Chart) => void = () => undefined, props: Partial<AgentRbacProps> = {}) {
  return synthChart((c) => build(new AgentRbac(c, 'agent', { name: 'bot', namespace: 'ops', automountServiceAccountToken: true, ...props }), c));
}

describe('AgentRbac', () => {
  test('snapshot: an agent using every helper', () => {
    const manifests = synthManifests((app) => {
      const a = new AgentRbac(new Chart(app, 'test'), 'agent', { name: 'bot', namespace: 'ops', automountServiceAccountToken: true });
      a.grantRead('namespace', [core('configmaps')], { ...DOC, resourceNames: ['bot-config'] });
      a.grantExec('namespace', DOC);
      a.grantRead('cluster', [core('pods'), apps('deployments')], DOC);
      a.grantRestart('cluster', [apps('deployments')], DOC);
      a.grantScale('cluster', [apps('statefulsets')], DOC);
      a.grantAnnotate('cluster', [Resource.argo('applications')], DOC);
      a.grantDelete('cluster', [core('pods')], DOC);
    });
    expect(Object.fromEntries(manifests.map((m) => [`${m.folder}/${m.file}`, toYaml(m.object)]))).toMatchSnapshot();
  });

  test('without grants: only the ServiceAccount, with the token automount as given', () => {
    const objs = agent(() => undefined, { automountServiceAccountToken: false });
    expect(objs.map((o) => o.kind)).toEqual(['ServiceAccount']);
    expect(find(objs, 'ServiceAccount', 'bot', 'ops').automountServiceAccountToken).toBe(false);
  });

  test('default names: <name>-role, <role>-binding, <namespace>-<name> (cluster-wide), <clusterrole>-binding', () => {
    const objs = agent((a) => {
      a.grantRead('namespace', [core('configmaps')], DOC);
      a.grantRead('cluster', [core('pods')], DOC);
    });
    const subjects = [{ kind: 'ServiceAccount', name: 'bot', namespace: 'ops' }];
    expect(find(objs, 'Role', 'bot-role', 'ops')).toBeDefined();
    expect(find(objs, 'RoleBinding', 'bot-role-binding', 'ops')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'bot-role' },
      subjects,
    });
    expect(find(objs, 'ClusterRole', 'ops-bot').metadata.namespace).toBeUndefined();
    expect(find(objs, 'ClusterRoleBinding', 'ops-bot-binding')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ops-bot' },
      subjects,
    });
  });

  test('explicit names and a HardenedNamespace', () => {
    const objs = synthChart((c) => {
      const ns = new HardenedNamespace(c, 'ns', { name: 'ops' });
      const a = new AgentRbac(c, 'agent', {
        name: 'bot', namespace: ns, automountServiceAccountToken: true,
        roleName: 'r', roleBindingName: 'rb', clusterRoleName: 'cr', clusterRoleBindingName: 'crb',
      });
      a.grantRead('namespace', [core('configmaps')], DOC);
      a.grantRead('cluster', [core('pods')], DOC);
    });
    expect(find(objs, 'Role', 'r', 'ops')).toBeDefined();
    expect(find(objs, 'RoleBinding', 'rb', 'ops').roleRef.name).toBe('r');
    expect(find(objs, 'ClusterRole', 'cr')).toBeDefined();
    expect(find(objs, 'ClusterRoleBinding', 'crb').roleRef.name).toBe('cr');
  });

  test('helpers: read, restart, scale, annotate, delete, exec render their verbs', () => {
    const objs = agent((a) => {
      a.grantRead('namespace', [core('secrets')], DOC);
      a.grantExec('namespace', DOC);
      a.grantRead('cluster', [core('pods').sub('log')], DOC);
      a.grantRestart('cluster', [apps('deployments'), apps('daemonsets')], DOC);
      a.grantScale('cluster', [apps('deployments'), apps('replicasets')], DOC);
      a.grantAnnotate('cluster', [Resource.externalSecrets('externalsecrets')], DOC);
      a.grantDelete('cluster', [core('pods')], DOC);
    });
    expect(find(objs, 'Role', 'bot-role', 'ops').rules).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
    ]);
    expect(find(objs, 'ClusterRole', 'ops-bot').rules).toEqual([
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments', 'daemonsets'], verbs: ['patch'] },
      { apiGroups: ['apps'], resources: ['deployments/scale', 'replicasets/scale'], verbs: ['get', 'patch'] },
      { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: ['patch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    ]);
  });

  test('one PolicyRule per API group, so a grant never crosses groups and resources', () => {
    const objs = agent((a) => a.grantRead('cluster', [core('pods'), Resource.metrics('pods'), core('services'), Resource.of(ApiGroup.of('example.com'), 'widgets')], DOC));
    expect(find(objs, 'ClusterRole', 'ops-bot').rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  test('resourceNames restrict the rule to the named objects', () => {
    const objs = agent((a) => a.grantAnnotate('namespace', [core('configmaps')], { ...DOC, resourceNames: ['a', 'b'] }));
    expect(find(objs, 'Role', 'bot-role', 'ops').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['patch'], resourceNames: ['a', 'b'] },
    ]);
  });

  test('grants and permissions are public and match what the output grants', () => {
    let a!: AgentRbac;
    const objs = agent((x) => {
      a = x;
      x.grantRead('namespace', [core('secrets')], DOC);
      x.grantScale('cluster', [apps('deployments')], DOC);
    });
    expect(a.grants.map((g) => [g.scope, g.verbs, g.resources.map(String)])).toEqual([
      ['namespace', ['get', 'list', 'watch'], ['secrets']],
      ['cluster', ['get', 'patch'], ['deployments.apps/scale']],
    ]);
    expect(a.permissions.map(permissionKey)).toEqual(effectivePermissions(objs, { namespace: 'ops', name: 'bot' }).map(permissionKey));
    expect(a.serviceAccountName).toBe('bot');
    expect(a.namespace).toBe('ops');
  });
});

/** Asserts the four parts of the message: path, problem, value, allowed, fix. */
function expectFailure(build: (a: AgentRbac) => void, parts: { problem: RegExp | string; value: string; allowed: RegExp; fix: RegExp }): void {
  let message = '';
  try {
    agent(build);
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toContain('[test/agent] ');
  if (typeof parts.problem === 'string') expect(message).toContain(parts.problem);
  else expect(message).toMatch(parts.problem);
  expect(message).toContain(`: ${JSON.stringify(parts.value)}. Allowed: `);
  expect(message.split('Allowed: ')[1]).toMatch(parts.allowed);
  expect(message.split('Fix: ')[1]).toMatch(parts.fix);
}

function guarantee(id: RuleGuarantee): string {
  return `grant breaks RBAC guarantee "${id}"`;
}

describe('guarantees: each fails synth with a message naming the path, the permission, what is allowed and the fix', () => {
  const exemptFix = (id: string) => new RegExp(`exemptions: \\{ '${id}': '<why>' \\}`);

  test.each<[string, (a: AgentRbac) => void, string]>([
    ['wildcard group', (a) => a.allow('namespace', ['get'], [Resource.of(ApiGroup.ALL, 'configmaps')], DOC), 'namespace ops: get */configmaps'],
    ['wildcard resource', (a) => a.allow('namespace', ['get'], [Resource.all(ApiGroup.APPS)], DOC), 'namespace ops: get apps/*'],
    ['wildcard verb', (a) => a.allow('namespace', ['*'], [core('configmaps')], DOC), 'namespace ops: * core/configmaps'],
    ['wildcard subresource', (a) => a.allow('namespace', ['get'], [Resource.all(ApiGroup.APPS).sub('scale')], DOC), 'namespace ops: get apps/*/scale'],
  ])('no-wildcards: %s', (_, build, value) => {
    expectFailure(build, { problem: guarantee('no-wildcards'), value, allowed: /explicit verbs, API groups and resources/, fix: exemptFix('no-wildcards') });
  });

  test.each<[string, (a: AgentRbac) => void, string]>([
    ['configmaps in its own namespace', (a) => a.allow('namespace', ['create'], [core('configmaps')], DOC), 'namespace ops: create core/configmaps'],
    ['deployments cluster-wide', (a) => a.allow('cluster', ['create'], [apps('deployments')], DOC), 'cluster: create apps/deployments'],
    ['pods/attach in its own namespace', (a) => a.allow('namespace', ['create'], [core('pods').sub('attach')], DOC), 'namespace ops: create core/pods/attach'],
  ])('no-create: %s', (_, build, value) => {
    expectFailure(build, { problem: guarantee('no-create'), value, allowed: /create only on pods\/exec, in scope "namespace"/, fix: /GitOps/ });
  });

  test.each<[string, (a: AgentRbac) => void, string]>([
    ['deployments', (a) => a.grantDelete('cluster', [apps('deployments')], DOC), 'cluster: delete apps/deployments'],
    ['deletecollection on pods', (a) => a.allow('cluster', ['deletecollection'], [core('pods')], DOC), 'cluster: deletecollection core/pods'],
  ])('no-delete: %s', (_, build, value) => {
    expectFailure(build, { problem: guarantee('no-delete'), value, allowed: /delete only on pods/, fix: /git revert/ });
  });

  test('no-foreign-secrets: reading secrets cluster-wide', () => {
    expectFailure((a) => a.grantRead('cluster', [core('secrets')], DOC), {
      problem: guarantee('no-foreign-secrets'),
      value: 'cluster: get core/secrets',
      allowed: /secrets only in scope "namespace"/,
      fix: /grant secrets in scope "namespace"/,
    });
  });

  test.each<[string, (a: AgentRbac) => void, string]>([
    ['exec cluster-wide', (a) => a.grantExec('cluster', DOC), 'cluster: create core/pods/exec'],
    ['exec over websocket (get) cluster-wide', (a) => a.allow('cluster', ['get'], [core('pods').sub('exec')], DOC), 'cluster: get core/pods/exec'],
    ['attach cluster-wide', (a) => a.allow('cluster', ['get'], [core('pods').sub('attach')], DOC), 'cluster: get core/pods/attach'],
    ['portforward cluster-wide', (a) => a.allow('cluster', ['get'], [core('pods').sub('portforward')], DOC), 'cluster: get core/pods/portforward'],
    ['service proxy cluster-wide', (a) => a.allow('cluster', ['get'], [core('services').sub('proxy')], DOC), 'cluster: get core/services/proxy'],
    ['the kubelet API', (a) => a.allow('cluster', ['get'], [core('nodes').sub('proxy')], DOC), 'cluster: get core/nodes/proxy'],
  ])('no-foreign-exec: %s', (_, build, value) => {
    expectFailure(build, { problem: guarantee('no-foreign-exec'), value, allowed: /only in scope "namespace"; nodes\/proxy never/, fix: /grantExec\("namespace"\)/ });
  });

  test.each<[string, (a: AgentRbac) => void, string]>([
    ['escalate', (a) => a.allow('cluster', ['escalate'], [Resource.rbac('clusterroles')], DOC), 'cluster: escalate rbac.authorization.k8s.io/clusterroles'],
    ['bind', (a) => a.allow('namespace', ['bind'], [Resource.rbac('roles')], DOC), 'namespace ops: bind rbac.authorization.k8s.io/roles'],
    ['impersonate', (a) => a.allow('cluster', ['impersonate'], [core('serviceaccounts')], DOC), 'cluster: impersonate core/serviceaccounts'],
    ['approve', (a) => a.allow('cluster', ['approve'], [Resource.of(ApiGroup.CERTIFICATES, 'signers')], DOC), 'cluster: approve certificates.k8s.io/signers'],
  ])('no-escalation-verbs: %s', (_, build, value) => {
    expectFailure(build, { problem: guarantee('no-escalation-verbs'), value, allowed: /no escalate, bind, impersonate, approve or sign/, fix: /remove the verb/ });
  });

  test.each<[string, (a: AgentRbac) => void, string]>([
    ['patch clusterroles', (a) => a.grantAnnotate('cluster', [Resource.rbac('clusterroles')], DOC), 'cluster: patch rbac.authorization.k8s.io/clusterroles'],
    ['create rolebindings in its own namespace', (a) => a.allow('namespace', ['create'], [Resource.rbac('rolebindings')], DOC), 'namespace ops: create rbac.authorization.k8s.io/rolebindings'],
    ['patch networkpolicies', (a) => a.grantAnnotate('namespace', [Resource.networking('networkpolicies')], DOC), 'namespace ops: patch networking.k8s.io/networkpolicies'],
    ['patch namespaces (PSS labels)', (a) => a.grantAnnotate('cluster', [core('namespaces')], DOC), 'cluster: patch core/namespaces'],
    ['mint serviceaccount tokens', (a) => a.allow('namespace', ['create'], [core('serviceaccounts').sub('token')], DOC), 'namespace ops: create core/serviceaccounts/token'],
    ['patch a webhook', (a) => a.grantAnnotate('cluster', [Resource.of(ApiGroup.ADMISSION_REGISTRATION, 'mutatingwebhookconfigurations')], DOC), 'cluster: patch admissionregistration.k8s.io/mutatingwebhookconfigurations'],
    ['patch appprojects', (a) => a.grantAnnotate('cluster', [Resource.argo('appprojects')], DOC), 'cluster: patch argoproj.io/appprojects'],
    ['update applications (beyond patch)', (a) => a.allow('cluster', ['update'], [Resource.argo('applications')], DOC), 'cluster: update argoproj.io/applications'],
    ['create applications', (a) => a.allow('cluster', ['create'], [Resource.argo('applications')], DOC), 'cluster: create argoproj.io/applications'],
  ])('no-security-writes: %s', (_, build, value) => {
    expectFailure(build, { problem: guarantee('no-security-writes'), value, allowed: /read-only access to these; patch .* on Applications/, fix: /through GitOps/ });
  });

  test('patch on Applications (hard refresh) keeps the guarantees', () => {
    expect(() => agent((a) => a.grantAnnotate('cluster', [Resource.argo('applications')], DOC))).not.toThrow();
  });
});

describe('purpose and risk of every grant', () => {
  test('each rendered rule carries its grant\'s purpose and risk, indexed in rules order per role', () => {
    const objs = agent((a) => {
      a.grantRead('cluster', [core('pods'), Resource.metrics('pods')], { purpose: 'watch pods and their usage', risk: { level: 'low', note: 'read-only' } });
      a.grantRestart('cluster', [apps('deployments')], { purpose: 'rollout restart of anything', risk: { level: 'medium' } });
      a.grantRead('namespace', [core('secrets')], { purpose: 'read its own API keys', risk: { level: 'high', note: 'API keys' } });
    });
    const cluster = find(objs, 'ClusterRole', 'ops-bot');
    // The read grant renders two rules (two groups), the restart grant the third.
    const docs = cluster.rules.map((_: unknown, i: number) => ruleDoc(cluster.metadata.annotations, i));
    expect(docs).toEqual([
      { purpose: 'watch pods and their usage', risk: { level: 'low', note: 'read-only' } },
      { purpose: 'watch pods and their usage', risk: { level: 'low', note: 'read-only' } },
      { purpose: 'rollout restart of anything', risk: { level: 'medium' } },
    ]);
    const role = find(objs, 'Role', 'bot-role', 'ops');
    expect(ruleDoc(role.metadata.annotations, 0)).toEqual({ purpose: 'read its own API keys', risk: { level: 'high', note: 'API keys' } });
    expect(ruleDoc(role.metadata.annotations, 1)).toBeUndefined();
  });

  test.each<[string, Partial<GrantOptions>, RegExp]>([
    ['no purpose', { purpose: undefined }, /\[test\/agent\] grant of get, list, watch on pods needs a purpose: undefined. Allowed: a phrase of at least 10 characters .* Fix: pass `purpose: "..."`/],
    ['a placeholder purpose', { purpose: 'TODO: explain later' }, /needs a purpose: "TODO: explain later"/],
    ['a too short purpose', { purpose: 'pods' }, /needs a purpose: "pods"/],
    ['no risk', { risk: undefined }, /grant of get, list, watch on pods needs a risk level: undefined. Allowed: minimal, low, medium, high, critical/],
    ['a risk level outside the set', { risk: { level: 'severe' as any } }, /needs a risk level: "severe"/],
  ])('a grant with %s is refused', (_, override, message) => {
    expect(() => agent((a) => a.grantRead('cluster', [core('pods')], { ...DOC, ...override } as GrantOptions))).toThrow(message);
  });

  test('a grant without options at all (plain JavaScript) is refused with the same message', () => {
    expect(() => agent((a) => (a as any).grantRead('cluster', [core('pods')]))).toThrow(/needs a purpose: undefined/);
  });
});

describe('exemptions', () => {
  test('an exemption with a reason lets the grant through and is emitted on the role that holds it', () => {
    const objs = agent((a) => a.grantDelete('cluster', [apps('deployments')], { ...DOC, exemptions: { 'no-delete': REASON } }));
    const role = find(objs, 'ClusterRole', 'ops-bot');
    expect(role.rules).toEqual([{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['delete'] }]);
    expect(role.metadata.annotations['baseline.homelab.dev/exemption.rbac.no-delete']).toBe(REASON);
    expect(all(objs, 'Role')).toEqual([]);
  });

  test('several grants exempted from one guarantee list every distinct reason', () => {
    const other = 'the agent recycles stale ReplicaSets after a failed rollout';
    const objs = agent((a) => {
      a.grantDelete('cluster', [apps('deployments')], { ...DOC, exemptions: { 'no-delete': REASON } });
      a.grantDelete('cluster', [apps('replicasets')], { ...DOC, exemptions: { 'no-delete': other } });
      a.grantDelete('cluster', [apps('statefulsets')], { ...DOC, exemptions: { 'no-delete': REASON } });
    });
    expect(find(objs, 'ClusterRole', 'ops-bot').metadata.annotations['baseline.homelab.dev/exemption.rbac.no-delete'])
      .toBe(`${REASON}; ${other}`);
  });

  test.each<[string, string | undefined]>([
    ['missing', undefined],
    ['too short', 'needed'],
    ['a placeholder', 'TODO explain this later please'],
  ])('an exemption whose reason is %s fails', (_, reason) => {
    expectFailure((a) => a.grantDelete('cluster', [apps('deployments')], { ...DOC, exemptions: { 'no-delete': reason as string } }), {
      problem: 'exemption from RBAC guarantee "no-delete" needs a written reason',
      value: reason as string,
      allowed: /at least 20 characters/,
      fix: /reason/,
    });
  });

  test('an exemption the grant does not need fails, so none lingers', () => {
    expectFailure((a) => a.grantRead('cluster', [core('pods')], { ...DOC, exemptions: { 'no-delete': REASON } }), {
      problem: 'exemption the grant does not need',
      value: 'no-delete',
      allowed: /guarantees the grant breaks \(none\)/,
      fix: /remove the exemption/,
    });
  });

  test('exempting wildcards does not bypass the other guarantees a wildcard breaks', () => {
    expectFailure((a) => a.allow('namespace', ['*'], [core('configmaps')], { ...DOC, exemptions: { 'no-wildcards': REASON } }), {
      problem: guarantee('no-create'),
      value: 'namespace ops: * core/configmaps',
      allowed: /create only on pods\/exec/,
      fix: /GitOps/,
    });
    expectFailure((a) => a.allow('cluster', ['get'], [Resource.all(ApiGroup.CORE)], { ...DOC, exemptions: { 'no-wildcards': REASON } }), {
      problem: guarantee('no-foreign-secrets'),
      value: 'cluster: get core/*',
      allowed: /secrets only/,
      fix: /scope "namespace"/,
    });
  });

  test('unknown guarantee ids fail; bindings are exempted on the agent, rules on the grant', () => {
    const opts = (id: string) => ({ exemptions: { [id]: REASON } }) as GrantOptions;
    expectFailure((a) => a.grantRead('cluster', [core('pods')], { ...DOC, ...opts('no-fun') }), {
      problem: 'unknown grant exemption', value: 'no-fun', allowed: /no-wildcards, .*no-security-writes/, fix: /name the guarantee/,
    });
    expectFailure((a) => a.grantRead('cluster', [core('pods')], { ...DOC, ...opts('no-privileged-bindings') }), {
      problem: 'unknown grant exemption', value: 'no-privileged-bindings', allowed: /no-delete/, fix: /AgentRbacProps.exemptions/,
    });
    expect(() => agent(() => undefined, { exemptions: { 'no-delete': REASON } as any })).toThrow(
      /\[test\/agent\] unknown agent-wide exemption: "no-delete". Allowed: "no-privileged-bindings"; .* Fix: move the exemption to the grant/,
    );
  });
});

describe('no-privileged-bindings: bindings outside the construct must not reach the agent', () => {
  const bind = (c: Chart, roleRef: string, subject: { kind: string; name: string; namespace?: string }) =>
    new KubeClusterRoleBinding(c, `extra-${roleRef}-${subject.name}`, {
      metadata: { name: `extra-${roleRef}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleRef },
      subjects: [subject],
    });

  test.each<[string, { kind: string; name: string; namespace?: string }, string, RegExp]>([
    ['cluster-admin to the ServiceAccount', { kind: 'ServiceAccount', name: 'bot', namespace: 'ops' }, 'cluster-admin', /grants the built-in "cluster-admin" ClusterRole to ServiceAccount ops\/bot/],
    ['edit to its user name', { kind: 'User', name: 'system:serviceaccount:ops:bot' }, 'edit', /grants the built-in "edit" ClusterRole/],
    ['a role to system:authenticated', { kind: 'Group', name: 'system:authenticated' }, 'viewer', /grants permissions to group "system:authenticated", which every ServiceAccount token carries/],
    ['a role to its namespace\'s ServiceAccounts', { kind: 'Group', name: 'system:serviceaccounts:ops' }, 'viewer', /group "system:serviceaccounts:ops"/],
  ])('%s fails at synth', (_, subject, roleRef, problem) => {
    expect(() => agent((a, c) => {
      a.grantRead('cluster', [core('pods')], DOC);
      bind(c, roleRef, subject);
    })).toThrow(problem);
    let message = '';
    try {
      agent((_a, c) => bind(c, roleRef, subject));
    } catch (e) {
      message = (e as Error).message;
    }
    // One path, the agent's (its guarantee is broken); the binding's own construct path is named in the problem.
    expect(message).toContain(`[test/agent] binding outside the agent's AgentRbac`);
    expect(message).toContain(`(construct test/extra-${roleRef}-${subject.name}): "ClusterRoleBinding`);
    expect(message.match(/\[test\//g)).toHaveLength(1);
    expect(message).toContain(`: "ClusterRoleBinding extra-${roleRef} -> ClusterRole ${roleRef}". Allowed: only the agent's own RoleBinding and ClusterRoleBinding; never cluster-admin, admin, edit`);
    expect(message).toMatch(/Fix: remove the binding and grant what the agent needs with AgentRbac.allow\(\)/);
  });

  test('a RoleBinding whose ServiceAccount subject omits the namespace reaches the agent in its own namespace', () => {
    expect(() => agent((_a, c) => new KubeRoleBinding(c, 'rb', {
      metadata: { name: 'sneaky', namespace: 'ops' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
    }))).toThrow(/RoleBinding ops\/sneaky -> ClusterRole admin/);
  });

  test('one binding reaching several agents fails once per agent, each against its own path; a later change is re-checked', () => {
    const app = new App();
    const c = new Chart(app, 'test');
    for (const ns of ['ops', 'dev']) new AgentRbac(c, `agent-${ns}`, { name: 'bot', namespace: ns, automountServiceAccountToken: false });
    expect(collectManifests(app)).toHaveLength(2);
    bind(c, 'viewer', { kind: 'Group', name: 'system:serviceaccounts' });
    let message = '';
    try {
      collectManifests(app);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^synth refused: 2 problem\(s\)\n {2}- \[test\/agent-ops\] binding outside .*group "system:serviceaccounts".*\n {2}- \[test\/agent-dev\] binding outside /);
  });

  test('bindings for other identities are not the agent\'s concern', () => {
    expect(() => agent((_a, c) => bind(c, 'viewer', { kind: 'ServiceAccount', name: 'bot', namespace: 'elsewhere' }))).not.toThrow();
  });

  test('an exemption with a reason allows it and is emitted on the ServiceAccount; an unneeded one fails', () => {
    const objs = agent((_a, c) => bind(c, 'viewer', { kind: 'Group', name: 'system:authenticated' }), {
      exemptions: { 'no-privileged-bindings': REASON },
    });
    expect(find(objs, 'ServiceAccount', 'bot', 'ops').metadata.annotations).toEqual({
      'baseline.homelab.dev/exemption.rbac.no-privileged-bindings': REASON,
    });
    expect(() => agent(() => undefined, { exemptions: { 'no-privileged-bindings': REASON } })).toThrow(
      /^synth refused: 1 problem\(s\)\n {2}- \[test\/agent\] exemption the agent does not need: "no-privileged-bindings"\. Allowed: .*\. Fix: remove/,
    );
    expect(() => agent(() => undefined, { exemptions: { 'no-privileged-bindings': 'because' } })).toThrow(/needs a written reason/);
  });
});

describe('bad input fails with the path, the value, what is allowed and the fix', () => {
  test.each<[string, (a: AgentRbac) => void, RegExp]>([
    ['unknown scope', (a) => a.grantRead('everywhere' as any, [core('pods')], DOC), /unknown RBAC scope: "everywhere". Allowed: "namespace" .* Fix: pass "namespace"/],
    ['unknown verb', (a) => a.allow('cluster', ['read' as any], [core('pods')], DOC), /unknown RBAC verb: "read". Allowed: get, list, watch/],
    ['no verbs', (a) => a.allow('cluster', [], [core('pods')], DOC), /grant without verbs or resources/],
    ['no resources', (a) => a.grantRead('cluster', [], DOC), /grant without verbs or resources: \{"verbs":\["get","list","watch"\],"resources":\[\]\}/],
    ['a malformed resource', (a) => a.grantRead('cluster', [Resource.of(ApiGroup.CORE, 'Pods')], DOC), /invalid resource: "Pods". Allowed: a lower-case plural .* Fix: use a typed factory/],
    ['a malformed group', (a) => a.grantRead('cluster', [Resource.of(ApiGroup.of('Example.COM'), 'widgets')], DOC), /invalid API group: "Example.COM"/],
    ['a malformed resourceName', (a) => a.grantRead('namespace', [core('configmaps')], { ...DOC, resourceNames: ['Bad Name'] }), /invalid resourceName: "Bad Name"/],
    ['restart on a non-workload', (a) => a.grantRestart('cluster', [core('pods')], DOC), /restart applies to workloads only: "pods". Allowed: Resource.apps\("deployments"\)/],
    ['scale on a subresource', (a) => a.grantScale('cluster', [apps('deployments').sub('scale')], DOC), /scale applies to workloads only: "deployments.apps\/scale"/],
    ['the same permission twice', (a) => {
      a.grantRead('cluster', [core('pods')], DOC);
      a.allow('cluster', ['list'], [core('pods')], DOC);
    }, /permission granted twice: "cluster: list core\/pods". Allowed: each verb on each resource at most once per scope. Fix: remove it from this grant: grant #1 already allows it/],
  ])('%s', (_, build, message) => {
    expect(() => agent(build)).toThrow(/^\[test\/agent\] /);
    expect(() => agent(build)).toThrow(message);
  });

  test('automountServiceAccountToken must be explicit', () => {
    expect(() => agent(() => undefined, { automountServiceAccountToken: undefined as any })).toThrow(
      /\[test\/agent\] automountServiceAccountToken must be explicit: undefined. Allowed: true .* or false. Fix: set automountServiceAccountToken: true only if/,
    );
  });

  test('names are DNS-1123', () => {
    expect(() => agent(() => undefined, { name: 'Bot' })).toThrow(/invalid ServiceAccount name: "Bot"/);
    expect(() => agent(() => undefined, { clusterRoleName: 'Admin Role' })).toThrow(/invalid ClusterRole name: "Admin Role"/);
  });
});
