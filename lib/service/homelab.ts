import { ApiObject, App, Chart } from 'cdk8s';
import { KubePersistentVolumeClaim, Quantity } from 'cdk8s-plus-28/lib/imports/k8s';
import { AggregateBaselineError, BaselineError, Problem, fail } from '../errors';
import { HardenedNamespace } from '../hardened-namespace';
import { DefaultDenyPolicies } from '../network/default-deny-policies';
import { ExternalSecretBinding } from '../secrets/external-secret-binding';
import { InfisicalClusterSecretStore, InfisicalClusterSecretStoreProps } from '../secrets/infisical-cluster-secret-store';
import { didYouMean, validatePurpose, validateReason } from '../validate';
import { HardenedDeployment } from '../workloads/hardened-deployment';
import { KubeObject } from '../synth/manifest';
import { ISecretEnvSource } from '../workloads/secret-env';
import { ServiceContext, ServiceSpec } from './service-spec';

/** How far one store reaches: which keys an ExternalSecret of a namespace can name. */
export enum SecretScope {
  /** One store on one Infisical path for every namespace: the store limits namespaces, not keys. */
  SHARED = 'shared',
  /**
   * One ClusterSecretStore per namespace that declares secrets (`<name>-<namespace>`), serving only that
   * namespace, on its own Infisical folder (`<secretsPath>/<namespace>`) with its own machine identity (Secret
   * `<secretName>-<namespace>`, whose Infisical identity may read only that folder): an ExternalSecret in one
   * namespace cannot name another namespace's keys, even when rewritten at run time.
   */
  PER_NAMESPACE = 'per-namespace',
}

/** Where a homelab's ExternalSecrets read from: Infisical ClusterSecretStores, built in `namespace`. */
export interface HomelabSecretStore extends Omit<InfisicalClusterSecretStoreProps, 'namespaces'> {
  /** The namespace (service) whose chart holds the store: the one running External Secrets Operator. */
  readonly namespace: string;
  /**
   * One shared store, or one per namespace.
   * @default SecretScope.SHARED
   */
  readonly scope?: SecretScope;
}

/** Props of {@link buildServices}. */
export interface HomelabProps {
  /** The services, one per namespace. */
  readonly services: readonly ServiceSpec[];
  /**
   * The store every service's `secrets` read from.
   * @default - none: a service with `secrets` fails synth
   */
  readonly secretStore?: HomelabSecretStore;
}

/** A built homelab: each service's chart by namespace, and what the declarations built in it. */
export interface BuiltHomelab {
  /** One chart per service, by namespace. */
  readonly charts: ReadonlyMap<string, Chart>;
  /** Every ExternalSecret by `namespace/name`. */
  readonly secrets: ReadonlyMap<string, ExternalSecretBinding>;
  /** Every declared Deployment by `namespace/name`. */
  readonly deployments: ReadonlyMap<string, HardenedDeployment>;
  /** Folders no Application of this app syncs, with who does instead (see `ServiceSpec.application`). */
  readonly unsyncedFolders: ReadonlyMap<string, string>;
}

/**
 * Builds a homelab from its table of services, one chart per service (named like its namespace): the
 * hardened namespace and its default-deny policies, the ExternalSecrets (and the store they read, whose
 * namespace list follows from the services), the claims and the Deployments, then each service's own
 * `build` hook. Every cross-reference is checked here, with the name that was probably meant: a Secret a
 * Deployment reads must be a Secret of its service; two services cannot claim one namespace or one NodePort.
 */
export function buildServices(app: App, props: HomelabProps): BuiltHomelab {
  const problems: string[] = [];
  const collect = (f: () => void) => {
    try {
      f();
    } catch (e) {
      const duplicate = duplicateDeclaration(e);
      if (!(e instanceof BaselineError) && !duplicate) throw e;
      problems.push((duplicate ?? (e as BaselineError)).message);
    }
  };
  const charts = new Map<string, Chart>();
  const secrets = new Map<string, ExternalSecretBinding>();
  const deployments = new Map<string, HardenedDeployment>();
  const unsynced = new Map<string, string>();
  const namespaces = props.services.map((s) => s.namespace);
  const accepted: ServiceSpec[] = [];

  for (const [index, spec] of props.services.entries()) {
    const path = `services[${index}] (${spec.namespace})`;
    if (charts.has(spec.namespace)) {
      problems.push(new BaselineError(path, {
        problem: 'two services claim one namespace',
        value: spec.namespace,
        allowed: 'one service per namespace (a service may run several workloads)',
        fix: `merge the two declarations of "${spec.namespace}", or give one of them a namespace of its own`,
      }).message);
      continue;
    }
    accepted.push(spec);
    collect(() => {
      const chart = new Chart(app, spec.namespace);
      charts.set(spec.namespace, chart);
      const ns = new HardenedNamespace(chart, 'Namespace', { name: spec.namespace, podSecurity: spec.podSecurity });
      const { allow, ...network } = spec.network ?? {};
      const policies = new DefaultDenyPolicies(chart, 'Network', { namespace: ns, ...network });
      for (const a of allow ?? []) policies.allow(a.direction, a.peer, a.ports, a);
      checkNamespacePeers(chart, spec, namespaces);
      if (spec.application?.sync === false) {
        unsynced.set(spec.namespace, validateReason(chart, 'unsynced folder (application.sync: false)', spec.application.reason));
      }
    });
  }

  const withSecrets = accepted.filter((s) => s.secrets?.length && charts.has(s.namespace));
  if (withSecrets.length) {
    collect(() => {
      const storeSpec = props.secretStore;
      if (!storeSpec) {
        fail(charts.get(withSecrets[0].namespace)!, {
          problem: 'service declares secrets but the homelab has no secret store',
          value: withSecrets.map((s) => s.namespace),
          allowed: 'secrets only with a `secretStore` in the homelab props',
          fix: 'pass `secretStore: { namespace: "external-secrets", projectSlug, environmentSlug, ... }` to buildServices',
        });
      }
      const { namespace: storeNamespace, scope, ...storeProps } = storeSpec;
      const storeChart = charts.get(storeNamespace);
      if (!storeChart) {
        fail('secretStore', {
          problem: 'the secret store\'s namespace is not a service of the homelab',
          value: storeNamespace,
          allowed: `one of the services: ${namespaces.join(', ')}`,
          fix: `declare the service that runs External Secrets Operator, or correct the namespace${didYouMean(storeNamespace, namespaces)}`,
        });
      }
      const shared = scope === SecretScope.PER_NAMESPACE ? undefined : new InfisicalClusterSecretStore(storeChart, 'InfisicalStore', storeProps);
      for (const spec of withSecrets) {
        const store = shared ?? namespaceStore(storeChart, storeProps, spec.namespace);
        for (const s of spec.secrets!) {
          collect(() => {
            secrets.set(`${spec.namespace}/${s.name}`, new ExternalSecretBinding(charts.get(spec.namespace)!, s.name, {
              store,
              name: s.name,
              namespace: spec.namespace,
              // A service declares what each key is for: refuse a key without one (plain JS input).
              data: s.keys.map((k) => ({
                secretKey: k.name,
                purpose: validatePurpose(charts.get(spec.namespace)!, `secret key ${k.name} of ${s.name}`, k.purpose, 'LLM inference via OpenRouter'),
              })),
              refreshInterval: s.refreshInterval,
            }));
          });
        }
      }
    });
  }

  for (const spec of accepted) {
    const chart = charts.get(spec.namespace);
    if (!chart || chart.node.tryFindChild('Namespace') === undefined) continue;
    const secretOf = (name: string, from: string): ISecretEnvSource => {
      const found = secrets.get(`${spec.namespace}/${name}`);
      if (found) return found;
      const declared = (spec.secrets ?? []).map((s) => s.name);
      return fail(`${chart.node.path}/${from}`, {
        problem: 'workload reads a Secret its service does not declare',
        value: name,
        allowed: declared.length ? `a Secret of service ${spec.namespace}: ${declared.join(', ')}` : `a Secret declared in the service's \`secrets\` (it has none)`,
        fix: `declare it in the service's \`secrets\` with its keys, or correct the name${didYouMean(name, declared)}`,
      });
    };
    for (const claim of spec.claims ?? []) {
      collect(() => {
        new KubePersistentVolumeClaim(chart, claim.name, {
          metadata: { name: claim.name, namespace: spec.namespace, labels: claim.labels ? { ...claim.labels } : undefined },
          spec: {
            accessModes: [...(claim.accessModes ?? ['ReadWriteOnce'])],
            storageClassName: claim.storageClassName,
            resources: { requests: { storage: Quantity.fromString(claim.size) } },
          },
        });
      });
    }
    for (const d of spec.deployments ?? []) {
      collect(() => {
        const { envFrom, ...rest } = d;
        const deployment = new HardenedDeployment(chart, d.name, {
          ...rest,
          namespace: spec.namespace,
          envFrom: (envFrom ?? []).map((name) => secretOf(name, d.name)),
        });
        deployments.set(`${spec.namespace}/${d.name}`, deployment);
      });
    }
    if (spec.build) {
      const context: ServiceContext = {
        chart,
        namespace: spec.namespace,
        secret: (name) => secretOf(name, 'build'),
        deployments: new Map([...deployments].filter(([k]) => k.startsWith(`${spec.namespace}/`)).map(([k, v]) => [k.split('/')[1], v])),
      };
      collect(() => spec.build!(context));
    }
  }
  problems.push(...nodePortClashes(app));
  if (problems.length) throw new AggregateBaselineError(problems);
  return { charts, secrets, deployments, unsyncedFolders: unsynced };
}

/**
 * A name declared twice in one service (two Deployments, claims or Secrets of one name, an object id a `build`
 * uses twice) as the library reports it, instead of the constructs library's stack trace.
 */
function duplicateDeclaration(e: unknown): BaselineError | undefined {
  const m = e instanceof Error ? /^There is already a Construct with name '([^']*)' in (\w+) \[([^\]]*)\]/.exec(e.message) : null;
  if (!m) return undefined;
  const [, name, , parent] = m;
  return new BaselineError(parent, {
    problem: 'declared twice',
    value: name,
    allowed: 'each Deployment, claim, Secret and construct id once per service (its name is its identity in the chart)',
    fix: `remove or rename the second declaration of "${name}" in service ${parent.split('/')[0]}`,
  });
}

/** The store of one namespace ({@link SecretScope.PER_NAMESPACE}): its own folder, identity and condition. */
function namespaceStore(chart: Chart, props: Omit<InfisicalClusterSecretStoreProps, 'namespaces'>, namespace: string): InfisicalClusterSecretStore {
  const auth = props.universalAuth ?? {};
  return new InfisicalClusterSecretStore(chart, `InfisicalStore-${namespace}`, {
    ...props,
    name: `${props.name ?? 'infisical'}-${namespace}`,
    secretsPath: `${(props.secretsPath ?? '/').replace(/\/+$/, '')}/${namespace}`,
    universalAuth: { ...auth, secretName: `${auth.secretName ?? 'infisical-machine-identity'}-${namespace}` },
    namespaces: [namespace],
  });
}

/** Every namespace a service's network names must be a service of the homelab too. */
function checkNamespacePeers(chart: Chart, spec: ServiceSpec, namespaces: readonly string[]): void {
  const peers = [...(spec.network?.ingressFrom ?? []), ...(spec.network?.egressTo ?? [])].map((a) => a.namespace);
  for (const peer of peers) {
    if (namespaces.includes(peer) || peer === (spec.network?.dnsNamespace ?? 'kube-system')) continue;
    const problem: Problem = {
      problem: 'network allowance names a namespace that is not a service of the homelab',
      value: peer,
      allowed: `one of the services: ${namespaces.join(', ')}`,
      fix: `correct the namespace${didYouMean(peer, namespaces)}, or declare the service it belongs to`,
    };
    fail(chart, problem);
  }
}

/** NodePorts are cluster-wide: two Services on one is refused by the API server at sync, so refuse it here. */
function nodePortClashes(app: App): string[] {
  const owners = new Map<number, string>();
  const out: string[] = [];
  for (const c of app.node.findAll()) {
    if (!ApiObject.isApiObject(c) || c.kind !== 'Service') continue;
    const service = c.toJson() as KubeObject;
    for (const p of (service.spec as any)?.ports ?? []) {
      if (p.nodePort === undefined) continue;
      const here = `${service.metadata.namespace}/${service.metadata.name}`;
      const other = owners.get(p.nodePort);
      if (other !== undefined && other !== here) {
        out.push(new BaselineError(c, {
          problem: 'two Services claim one NodePort',
          value: p.nodePort,
          allowed: 'each NodePort once in the cluster',
          fix: `choose another port in 30000-32767: Service ${other} already uses ${p.nodePort}`,
        }).message);
      }
      owners.set(p.nodePort, here);
    }
  }
  return out;
}
