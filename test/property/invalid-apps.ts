/**
 * INVALID props of the constructs that live in a namespace: an agent grant that breaks an RBAC guarantee,
 * a bad ExternalSecretBinding, a workload that is not hardened. Each is added, alone, to a valid homelab.
 */
import * as fc from 'fast-check';
import { HomelabSpec, chartId } from './gen/homelab';
import { GrantSpec, ResourceName } from './gen/rbac';
import { BindingSpec } from './gen/secrets';
import { WorkloadSpec } from './gen/workloads';
import { dnsLabel } from './gen/primitives';
import { ANY_VALUE, InvalidCase, badLabel, badName, badPortNumber, target } from './invalid';

/** Adds what `add(i)` returns to the homelab, placed in namespace `i`. */
function invalidIn(rule: string, extra: fc.Arbitrary<{ add: (i: number) => Partial<HomelabSpec>; where: string; problem: RegExp; value: unknown }>): fc.Arbitrary<InvalidCase> {
  return fc.tuple(target, extra).map(([{ spec, i }, e]) => ({
    rule,
    spec: { ...spec, ...e.add(i) },
    path: `${chartId(i)}/${e.where}`,
    problem: e.problem,
    value: e.value,
  }));
}

// ----------------------------------------------------------------------------------------------------------
// AgentRbac: one grant, one verb on one resource, breaking exactly one guarantee first
// ----------------------------------------------------------------------------------------------------------

const BREACHES: readonly { guarantee: string; scope: GrantSpec['scope']; verbs: readonly string[]; resources: readonly ResourceName[] }[] = [
  { guarantee: 'no-wildcards', scope: 'namespace', verbs: ['*'], resources: ['pods', 'configmaps', 'deployments.apps'] },
  { guarantee: 'no-escalation-verbs', scope: 'cluster', verbs: ['escalate', 'bind'], resources: ['roles.rbac.authorization.k8s.io', 'clusterroles.rbac.authorization.k8s.io'] },
  { guarantee: 'no-escalation-verbs', scope: 'namespace', verbs: ['impersonate'], resources: ['users', 'serviceaccounts'] },
  { guarantee: 'no-security-writes', scope: 'cluster', verbs: ['patch', 'update'], resources: ['networkpolicies.networking.k8s.io', 'roles.rbac.authorization.k8s.io'] },
  { guarantee: 'no-foreign-secrets', scope: 'cluster', verbs: ['get', 'list', 'watch'], resources: ['secrets'] },
  { guarantee: 'no-foreign-exec', scope: 'cluster', verbs: ['create'], resources: ['pods/exec'] },
  { guarantee: 'no-create', scope: 'namespace', verbs: ['create'], resources: ['deployments.apps', 'configmaps', 'services'] },
  { guarantee: 'no-delete', scope: 'cluster', verbs: ['delete', 'deletecollection'], resources: ['deployments.apps', 'services', 'statefulsets.apps'] },
];

const badGrant = fc
  .constantFrom(...BREACHES)
  .chain((b) => fc.record({ b: fc.constant(b), verb: fc.constantFrom(...b.verbs), resource: fc.constantFrom(...b.resources), name: dnsLabel({ prefix: 'agent-', maxLength: 30 }) }))
  .map(({ b, verb, resource, name }) => ({
    add: (i: number): Partial<HomelabSpec> => ({
      agents: [{ ns: i, name, automount: false, grants: [{ helper: 'allow', scope: b.scope, verbs: [verb], resources: [resource] }] }],
    }),
    where: `Agent-${name}`,
    problem: new RegExp(`^grant breaks RBAC guarantee "${b.guarantee}" `),
    value: ANY_VALUE,
  }));

// ----------------------------------------------------------------------------------------------------------
// ExternalSecretBinding
// ----------------------------------------------------------------------------------------------------------

const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const STORE = { projectSlug: 'homelab', environmentSlug: 'prod', restrict: false };

function withBinding(change: Partial<BindingSpec>, problem: RegExp, value: unknown) {
  return dnsLabel({ prefix: 'es-', maxLength: 30 }).map((name) => ({
    add: (i: number): Partial<HomelabSpec> => ({
      secrets: { store: STORE, bindings: [{ ns: i, name, keys: [{ secretKey: 'API_TOKEN' }], ...change }] },
    }),
    where: `Secret-${name}`,
    problem,
    value,
  }));
}

const badSecretKey = fc.oneof(fc.stringMatching(/^[a-z]{1,5}[ /:][a-z]{1,5}$/), fc.constantFrom('', 'API KEY', 'ÄPI', 'a/b'));
const badInterval = fc.oneof(
  fc.constantFrom('0', '0s', '-1h', '1d', 'hourly', '', '1 h', '59s', '25h', '1441m'),
  fc.integer({ min: 1, max: 59 }).map((s) => `${s}s`),
  fc.integer({ min: 25, max: 1000 }).map((h) => `${h}h`),
);

// ----------------------------------------------------------------------------------------------------------
// HardenedDeployment
// ----------------------------------------------------------------------------------------------------------

const BASE_WORKLOAD: Omit<WorkloadSpec, 'ns' | 'name'> = {
  image: { kind: 'registry', reference: 'registry.example/app:1.0.0' },
  runAsUser: 1000,
  runAsGroup: 1000,
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
  ports: [],
  mounts: [],
  env: {},
  envFrom: [],
};

function withWorkload(change: Partial<WorkloadSpec>, problem: RegExp, value: unknown) {
  return dnsLabel({ prefix: 'wl-', maxLength: 30 }).map((name) => ({
    add: (i: number): Partial<HomelabSpec> => ({ workloads: [{ ...BASE_WORKLOAD, ns: i, name, ...change }] }),
    where: `Workload-${name}`,
    problem,
    value,
  }));
}

const HTTP = { name: 'http', port: { protocol: 'TCP', port: 8080 } };

const badId = fc.oneof(fc.constantFrom(0, -1, 1.5, 2147483648, Number.NaN), fc.integer({ min: -(2 ** 31), max: 0 }), fc.double({ min: 2147483648, max: 2 ** 53, noNaN: true }));
const unpinned = fc.tuple(fc.stringMatching(/^[a-z0-9]+(\/[a-z0-9]+){0,2}$/), fc.constantFrom('', ':latest')).map(([r, t]) => `${r}${t}`);
const badReference = fc.constantFrom('Registry.Example/App:1.0', 'app:1.0 ', '', 'app@sha256:abc', 'app:');
const CPU_MEMORY = fc.record({ kind: fc.constantFrom('requests' as const, 'limits' as const), resource: fc.constantFrom('cpu' as const, 'memory' as const) });

export const INVALID_APP_CASES: readonly fc.Arbitrary<InvalidCase>[] = [
  invalidIn('agent grant breaking an RBAC guarantee', badGrant),
  invalidIn('invalid secret key', badSecretKey.chain((k) => withBinding({ keys: [{ secretKey: k }] }, /^invalid secret key$/, k))),
  invalidIn('duplicate secret key', withBinding({ keys: [{ secretKey: 'API_TOKEN' }, { secretKey: 'API_TOKEN', remoteKey: 'OTHER' }] }, /^duplicate secret key$/, 'API_TOKEN')),
  invalidIn('refreshInterval outside 1m-24h', badInterval.chain((r) => withBinding({ refreshInterval: r }, /^(invalid refreshInterval|refreshInterval out of range)$/, r))),
  invalidIn('bad ExternalSecret name', badName.filter((n) => !DNS_SUBDOMAIN.test(n)).chain((n) =>
    fc.constant({
      add: (i: number): Partial<HomelabSpec> => ({ secrets: { store: STORE, bindings: [{ ns: i, name: n, keys: [{ secretKey: 'A' }], refreshInterval: '1h' }] } }),
      where: `Secret-${n}`,
      problem: /^invalid ExternalSecret name$/,
      value: n,
    }))),
  invalidIn('root or invalid user id', fc.tuple(fc.constantFrom('runAsUser' as const, 'runAsGroup' as const, 'fsGroup' as const), badId).chain(([field, id]) =>
    withWorkload({ [field]: id }, new RegExp(`^${field} must be a non-root id$`), id))),
  invalidIn('unpinned registry image', unpinned.chain((r) => withWorkload({ image: { kind: 'registry', reference: r } }, /^image is not pinned$/, r))),
  invalidIn('invalid image reference', badReference.chain((r) => withWorkload({ image: { kind: 'registry', reference: r } }, /^invalid image reference$/, r))),
  invalidIn('unpinned local build without a reason', unpinned.chain((r) =>
    withWorkload({ image: { kind: 'local', reference: r, reason: 'TODO' } }, /^unpinned local image ".*" needs a written reason$/, 'TODO'))),
  invalidIn('missing request or limit', CPU_MEMORY.chain(({ kind, resource }) => {
    const resources = JSON.parse(JSON.stringify(BASE_WORKLOAD.resources));
    delete resources[kind][resource];
    return withWorkload({ resources }, new RegExp(`^${kind}\\.${resource} is missing$`), undefined);
  })),
  invalidIn('request above its limit', fc.constantFrom('cpu' as const, 'memory' as const).chain((resource) => {
    const resources = JSON.parse(JSON.stringify(BASE_WORKLOAD.resources));
    resources.requests[resource] = resource === 'cpu' ? '2' : '2Gi';
    return withWorkload({ resources }, new RegExp(`^requests\\.${resource} exceeds limits\\.${resource}$`), ANY_VALUE);
  })),
  invalidIn('invalid container port name', fc.oneof(fc.constantFrom('', 'HTTP', 'http_port', 'a-very-long-port-name', '123', '-http'), fc.stringMatching(/^[a-z]{16,20}$/)).chain((n) =>
    withWorkload({ ports: [{ name: n, port: { protocol: 'TCP', port: 8080 } }] }, /^invalid container port name$/, n))),
  invalidIn('container port out of range', badPortNumber.chain((p) => withWorkload({ ports: [{ name: 'http', port: { protocol: 'TCP', port: p } }] }, /^invalid port$/, p))),
  invalidIn('hostPath without a reason', fc.constantFrom('', 'TODO', 'short reason').chain((r) =>
    withWorkload({ mounts: [{ volume: { kind: 'hostPath', name: 'host', path: '/srv', reason: r }, mountPath: '/srv' }] }, /^hostPath volume "host" needs a written reason$/, r))),
  invalidIn('writable root filesystem without a reason', fc.constantFrom('TODO: later', 'n/a', 'too short').chain((r) =>
    withWorkload({ writableRoot: r }, /^writable root filesystem needs a written reason$/, r))),
  invalidIn('relative or odd mount path', fc.constantFrom('data', '', '/', '/a/../b', '/a:b').chain((p) =>
    withWorkload({ mounts: [{ volume: { kind: 'emptyDir', name: 'scratch' }, mountPath: p }] }, /^invalid mount path$/, p))),
  invalidIn('invalid environment variable name', fc.oneof(
    fc.constantFrom('1ABC', 'A B', 'A=B', '', '.', '..', '..x', '...'),
    fc.stringMatching(/^[0-9][A-Z]{0,5}$/),
    fc.stringMatching(/^\.\.[-._a-zA-Z0-9]{0,5}$/),
  ).chain((n) => withWorkload({ env: { [n]: 'x' } }, /^invalid environment variable name$/, n))),
  invalidIn('Secret key that is "." or starts with ".."', fc.constantFrom('.', '..', '..KEY').chain((k) =>
    withWorkload({ envFrom: [{ secretName: 'app-env', keys: [k] }] }, /^invalid key of Secret "app-env"$/, k))),
  invalidIn('Secret key injected with envFrom that is not an upper-case variable name', fc.stringMatching(/^[a-z][-a-z0-9]{0,8}$/).chain((k) =>
    withWorkload({ envFrom: [{ secretName: 'app-env', keys: [k] }] }, /^key of Secret "app-env" is not an environment variable name$/, k))),
  invalidIn('hostPath path with ".." or relative', fc.oneof(
    fc.constantFrom('/srv/../etc', '/..', '..', '/srv/..', 'srv', 'srv/docs', ''),
    fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}$/)).map(([a, b]) => `/${a}/../${b}`),
  ).chain((p) =>
    withWorkload({ mounts: [{ volume: { kind: 'hostPath', name: 'host', path: p, reason: 'the node keeps the files the app reads' }, mountPath: '/host' }] },
      /^invalid hostPath path of volume "host"$/, p))),
  invalidIn('invalid workload label', badLabel('label').chain((bad) => withWorkload({ labels: bad.labels }, bad.problem, bad.value))),
  invalidIn('Service named after a workload whose name starts with a digit', fc.stringMatching(/^[0-9][-a-z0-9]{0,20}[a-z0-9]$/).chain((name) =>
    fc.constant({
      add: (i: number): Partial<HomelabSpec> => ({
        workloads: [{ ...BASE_WORKLOAD, ns: i, name, ports: [HTTP], service: { type: 'ClusterIP', ports: [{ target: 0, nodePort: 30000 }] } }],
      }),
      where: `Workload-${name}`,
      problem: /^invalid Service name \(the workload name\)$/,
      value: name,
    }))),
  invalidIn('two Service ports on one protocol/port', fc.integer({ min: 1, max: 65535 }).chain((port) =>
    withWorkload({
      ports: [HTTP, { name: 'admin', port: { protocol: 'TCP', port: 8081 } }],
      service: { type: 'ClusterIP', ports: [{ target: 0, port, nodePort: 30000 }, { target: 1, port, nodePort: 30001 }] },
    }, /^Service port declared twice$/, `admin TCP/${port}`).map((c) => ({ ...c, where: `${c.where}/Service-${c.where.slice('Workload-'.length)}` })))),
];
