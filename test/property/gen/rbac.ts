/**
 * Generators of valid AgentRbac props and grants: every intent helper, in either scope where the RBAC
 * guarantees allow it, each at most once per scope (a permission granted twice is refused).
 */
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import type * as Lib from '../../../lib';
import type { LibModule } from './network';
import { dnsLabel } from './primitives';

/** Resources by kubectl's spelling. */
const RESOURCES = {
  pods: (l: LibModule) => l.Resource.core('pods'),
  'pods/log': (l: LibModule) => l.Resource.core('pods').sub('log'),
  services: (l: LibModule) => l.Resource.core('services'),
  endpoints: (l: LibModule) => l.Resource.core('endpoints'),
  configmaps: (l: LibModule) => l.Resource.core('configmaps'),
  events: (l: LibModule) => l.Resource.core('events'),
  nodes: (l: LibModule) => l.Resource.core('nodes'),
  namespaces: (l: LibModule) => l.Resource.core('namespaces'),
  persistentvolumeclaims: (l: LibModule) => l.Resource.core('persistentvolumeclaims'),
  persistentvolumes: (l: LibModule) => l.Resource.core('persistentvolumes'),
  replicationcontrollers: (l: LibModule) => l.Resource.core('replicationcontrollers'),
  secrets: (l: LibModule) => l.Resource.core('secrets'),
  'deployments.apps': (l: LibModule) => l.Resource.apps('deployments'),
  'statefulsets.apps': (l: LibModule) => l.Resource.apps('statefulsets'),
  'daemonsets.apps': (l: LibModule) => l.Resource.apps('daemonsets'),
  'replicasets.apps': (l: LibModule) => l.Resource.apps('replicasets'),
  'externalsecrets.external-secrets.io': (l: LibModule) => l.Resource.externalSecrets('externalsecrets'),
  'applications.argoproj.io': (l: LibModule) => l.Resource.argo('applications'),
  'appprojects.argoproj.io': (l: LibModule) => l.Resource.argo('appprojects'),
  'pods.metrics.k8s.io': (l: LibModule) => l.Resource.metrics('pods'),
  'nodes.metrics.k8s.io': (l: LibModule) => l.Resource.metrics('nodes'),
  // Only the invalid generators use these.
  'pods/exec': (l: LibModule) => l.Resource.core('pods').sub('exec'),
  serviceaccounts: (l: LibModule) => l.Resource.core('serviceaccounts'),
  users: (l: LibModule) => l.Resource.core('users'),
  'roles.rbac.authorization.k8s.io': (l: LibModule) => l.Resource.rbac('roles'),
  'clusterroles.rbac.authorization.k8s.io': (l: LibModule) => l.Resource.rbac('clusterroles'),
  'networkpolicies.networking.k8s.io': (l: LibModule) => l.Resource.networking('networkpolicies'),
} as const;
export type ResourceName = keyof typeof RESOURCES;

type Helper = 'read' | 'restart' | 'scale' | 'annotate' | 'delete' | 'exec' | 'metrics' | 'allow';

export interface GrantSpec {
  readonly helper: Helper;
  readonly scope: 'namespace' | 'cluster';
  /** The verbs of `allow` (the helpers name their own). */
  readonly verbs?: readonly string[];
  readonly resources: readonly ResourceName[];
  readonly resourceNames?: readonly string[];
}

export interface AgentSpec {
  /** Index into the homelab's namespaces (modulo their number). */
  readonly ns: number;
  readonly name: string;
  readonly automount: boolean;
  readonly grants: readonly GrantSpec[];
}

const READABLE: readonly ResourceName[] = [
  'pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'events', 'nodes', 'namespaces', 'persistentvolumeclaims',
  'persistentvolumes', 'replicationcontrollers', 'deployments.apps', 'statefulsets.apps', 'daemonsets.apps', 'replicasets.apps',
  'externalsecrets.external-secrets.io', 'applications.argoproj.io', 'appprojects.argoproj.io',
];

const subset = (from: readonly ResourceName[]) => fc.subarray([...from], { minLength: 1 });
const scope = fc.constantFrom('namespace' as const, 'cluster' as const);
const names = fc.option(fc.uniqueArray(dnsLabel({ maxLength: 30 }), { minLength: 1, maxLength: 3 }), { nil: undefined });

/** One grant through an intent helper, with resources that keep every guarantee. */
const grant: fc.Arbitrary<GrantSpec> = fc.oneof(
  // Secrets are readable in the agent's own namespace only (guarantee no-foreign-secrets).
  fc.record({ helper: fc.constant('read' as const), scope: fc.constant('namespace' as const), resources: subset([...READABLE, 'secrets']) }),
  fc.record({ helper: fc.constant('read' as const), scope: fc.constant('cluster' as const), resources: subset(READABLE) }),
  fc.record({ helper: fc.constant('restart' as const), scope, resources: subset(['deployments.apps', 'statefulsets.apps', 'daemonsets.apps']), resourceNames: names }),
  fc.record({ helper: fc.constant('scale' as const), scope, resources: subset(['deployments.apps', 'statefulsets.apps', 'replicasets.apps']), resourceNames: names }),
  fc.record({
    helper: fc.constant('annotate' as const),
    scope,
    resources: subset(['configmaps', 'services', 'persistentvolumeclaims', 'applications.argoproj.io', 'externalsecrets.external-secrets.io']),
    resourceNames: names,
  }),
  fc.record({ helper: fc.constant('delete' as const), scope, resources: fc.constant<ResourceName[]>(['pods']), resourceNames: names }),
  // pods/exec stays in the agent's own namespace (guarantee no-foreign-exec).
  fc.record({ helper: fc.constant('exec' as const), scope: fc.constant('namespace' as const), resources: fc.constant<ResourceName[]>([]) }),
  fc.record({ helper: fc.constant('metrics' as const), scope, resources: subset(['pods.metrics.k8s.io', 'nodes.metrics.k8s.io']) }),
);

/**
 * Agents with distinct ServiceAccounts (prefixed `agent-`, so no workload's ServiceAccount collides) whose
 * grants use each helper at most once per scope.
 */
export const agents: fc.Arbitrary<AgentSpec[]> = fc.uniqueArray(
  fc.record({
    ns: fc.nat(),
    name: dnsLabel({ prefix: 'agent-', maxLength: 30 }),
    automount: fc.boolean(),
    grants: fc.uniqueArray(grant, { maxLength: 6, selector: (g) => `${g.helper}/${g.scope}` }),
  }),
  { maxLength: 2, selector: (a) => a.name },
);

/** Builds `spec` for the namespace `namespace` into `chart`. */
export function buildAgent(lib: LibModule, chart: Chart, namespace: string, spec: AgentSpec): Lib.AgentRbac {
  const agent = new lib.AgentRbac(chart, `Agent-${spec.name}`, { name: spec.name, namespace, automountServiceAccountToken: spec.automount });
  for (const g of spec.grants) {
    const resources = g.resources.map((r) => RESOURCES[r](lib));
    const options = { resourceNames: g.resourceNames, purpose: `generated ${g.helper} grant`, risk: { level: 'low' as const } };
    switch (g.helper) {
      case 'read': agent.grantRead(g.scope, resources, options); break;
      case 'restart': agent.grantRestart(g.scope, resources, options); break;
      case 'scale': agent.grantScale(g.scope, resources, options); break;
      case 'annotate': agent.grantAnnotate(g.scope, resources, options); break;
      case 'delete': agent.grantDelete(g.scope, resources, options); break;
      case 'exec': agent.grantExec(g.scope, options); break;
      case 'metrics': agent.allow(g.scope, ['get', 'list'], resources, options); break;
      case 'allow': agent.allow(g.scope, g.verbs as Lib.Verb[], resources, options); break;
    }
  }
  return agent;
}
