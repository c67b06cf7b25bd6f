import { buildHomelab } from '../../homelab';
import { checkAgentBindings, checkRbacGuarantees, effectivePermissions, isAllowed, permissionKey, toYaml } from '../../lib';
import {
  OPENCLAW_MATRIX,
  OPENCLAW_NAMESPACE,
  OPENCLAW_USER,
  SEED_CLUSTER_ROLE,
  SEED_ROLE,
  SeedRow,
  parseResource,
} from '../rbac/openclaw-matrix';
import { all, find, synthManifests } from '../util';

const manifests = synthManifests((app) => buildHomelab(app));
const objects = manifests.map((m) => m.object);
const SA = { namespace: 'openclaw', name: 'openclaw' };
const RBAC_KINDS = ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

/** The guarantee exemptions an object carries: OpenClaw needs none. */
function exemptions(o: { metadata: { annotations?: Record<string, string> } }): string[] {
  return Object.keys(o.metadata.annotations ?? {}).filter((k) => k.startsWith('baseline.homelab.dev/exemption.'));
}

test('snapshot: the OpenClaw identity as ArgoCD applies it', () => {
  const isAgentSa = (o: { kind: string; metadata: { name: string; namespace?: string } }) =>
    o.kind === 'ServiceAccount' && o.metadata.name === SA.name && o.metadata.namespace === SA.namespace;
  const rbac = manifests.filter((m) => RBAC_KINDS.includes(m.object.kind) || isAgentSa(m.object));
  expect(Object.fromEntries(rbac.map((m) => [`${m.folder}/${m.file}`, toYaml(m.object)]))).toMatchSnapshot();
});

test('ServiceAccount openclaw/openclaw mounts its token explicitly (the agent runs kubectl)', () => {
  const sa = find(objects, 'ServiceAccount', 'openclaw', 'openclaw');
  expect(sa.automountServiceAccountToken).toBe(true);
  expect(exemptions(sa)).toEqual([]);
});

test('Role openclaw-role: secrets get/list/watch and pods/exec create, in openclaw only', () => {
  const role = find(objects, 'Role', 'openclaw-role', 'openclaw');
  expect(role.rules).toEqual([
    { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
  ]);
  expect(exemptions(role)).toEqual([]);
});

test('ClusterRole openclaw-homelab-admin: the ten rows of the seed table, in order', () => {
  const role = find(objects, 'ClusterRole', 'openclaw-homelab-admin');
  const read = ['get', 'list', 'watch'];
  expect(role.rules).toEqual([
    {
      apiGroups: [''],
      resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'nodes', 'namespaces',
        'persistentvolumeclaims', 'persistentvolumes', 'replicationcontrollers'],
      verbs: read,
    },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], verbs: read },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['patch'] },
    { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['delete'] },
    { apiGroups: [''], resources: ['configmaps', 'services', 'persistentvolumeclaims'], verbs: ['patch'] },
    { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: ['argoproj.io'], resources: ['applications', 'appprojects'], verbs: read },
    { apiGroups: ['argoproj.io'], resources: ['applications'], verbs: ['patch'] },
    { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list'] },
  ]);
  expect(role.aggregationRule).toBeUndefined();
  expect(exemptions(role)).toEqual([]);
});

test('both bindings bind exactly ServiceAccount openclaw/openclaw to the agent\'s own roles', () => {
  const subjects = [{ kind: 'ServiceAccount', name: 'openclaw', namespace: 'openclaw' }];
  const rb = find(objects, 'RoleBinding', 'openclaw-role-binding', 'openclaw');
  expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'openclaw-role' });
  expect(rb.subjects).toEqual(subjects);
  const crb = find(objects, 'ClusterRoleBinding', 'openclaw-homelab-admin-binding');
  expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'openclaw-homelab-admin' });
  expect(crb.subjects).toEqual(subjects);
});

test('the homelab has no other RBAC objects (proxy ServiceAccounts have no bindings at all)', () => {
  expect(all(objects, 'Role').map((o) => o.metadata.name)).toEqual(['openclaw-role']);
  expect(all(objects, 'ClusterRole').map((o) => o.metadata.name)).toEqual(['openclaw-homelab-admin']);
  expect(all(objects, 'RoleBinding').map((o) => o.metadata.name)).toEqual(['openclaw-role-binding']);
  expect(all(objects, 'ClusterRoleBinding').map((o) => o.metadata.name)).toEqual(['openclaw-homelab-admin-binding']);
});

test('every other ServiceAccount (the proxies included) has no Kubernetes API permissions at all', () => {
  const others = all(objects, 'ServiceAccount').filter((sa) => !(sa.metadata.name === SA.name && sa.metadata.namespace === SA.namespace));
  for (const sa of others) {
    expect([sa.metadata.namespace, sa.metadata.name, effectivePermissions(objects, sa.metadata)]).toEqual([sa.metadata.namespace, sa.metadata.name, []]);
  }
});

/** The seed tables as atomic permission keys, written from the table rows, not from the code. */
function seedKeys(rows: readonly SeedRow[], namespace?: string): string[] {
  return rows.flatMap((row) => row.resources.flatMap((spelled) => row.verbs.map((verb) => {
    const { group, resource, subresource } = parseResource(spelled);
    return permissionKey({
      scope: namespace ? 'namespace' : 'cluster',
      namespace,
      apiGroup: group,
      resource: subresource ? `${resource}/${subresource}` : resource,
      verb,
    });
  })));
}

test('effective permissions of openclaw/openclaw equal the seed\'s two tables exactly', () => {
  const effective = effectivePermissions(objects, SA).map(permissionKey);
  const seed = [...seedKeys(SEED_ROLE, OPENCLAW_NAMESPACE), ...seedKeys(SEED_CLUSTER_ROLE)];
  expect(new Set(seed).size).toBe(seed.length); // the tables do not repeat themselves
  expect(effective).toEqual([...seed].sort());
});

test('the synthesized objects keep every guarantee (re-checked from the output, not the construct)', () => {
  expect(checkRbacGuarantees(effectivePermissions(objects, SA), OPENCLAW_NAMESPACE)).toEqual([]);
  const own = ['openclaw-role-binding', 'openclaw-homelab-admin-binding'];
  const foreign = objects.filter((o) => o.kind.endsWith('Binding') && !own.includes(o.metadata.name));
  expect(checkAgentBindings(foreign as any, SA)).toEqual([]);
});

describe('access matrix against the effective permissions', () => {
  const effective = effectivePermissions(objects, SA);

  test('every entry is about openclaw/openclaw and appears once', () => {
    const keys = OPENCLAW_MATRIX.map((e) => JSON.stringify([e.verb, e.group, e.resource, e.subresource, e.namespace]));
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of OPENCLAW_MATRIX) expect(e.user).toBe(OPENCLAW_USER);
  });

  test('every guarantee and every "does NOT grant" capability has denied rows', () => {
    const whys = OPENCLAW_MATRIX.filter((e) => e.expected === 'deny').map((e) => e.why).join('\n');
    for (const id of ['no-wildcards', 'no-create', 'no-delete', 'no-foreign-secrets', 'no-foreign-exec', 'no-escalation-verbs',
      'no-security-writes', 'no-privileged-bindings']) expect(whys).toContain(id);
    for (const row of ['create deployments.apps', 'create services', 'create namespaces', 'create configmaps',
      'delete deployments.apps', 'delete services', 'delete statefulsets.apps', 'delete namespaces',
      'read secrets outside openclaw', 'modify clusterroles', 'modify clusterrolebindings', 'modify NetworkPolicies',
      'create ArgoCD applications', 'delete ArgoCD applications', 'create ArgoCD appprojects', 'delete ArgoCD appprojects',
      'exec into pods in other namespaces']) expect(whys).toContain(`seed "does NOT grant": ${row}`);
  });

  test.each(OPENCLAW_MATRIX.map((e) => [`${e.expected} ${e.verb} ${e.group || 'core'}/${e.resource}${e.subresource ? `/${e.subresource}` : ''} in ${e.namespace ?? '(cluster)'}`, e]))(
    '%s',
    (_, e) => {
      expect(isAllowed(effective, e) ? 'allow' : 'deny').toBe(e.expected);
    },
  );
});
