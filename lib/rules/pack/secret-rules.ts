import { KubeObject } from '../../synth/manifest';
import { Rule, RuleFinding, perRun } from '../rule';

/** The ExternalSecret fields that decide which store keys reach its namespace (what the rules and the diff read). */
export interface ExternalSecretKeysSpec {
  readonly secretStoreRef?: { readonly kind?: string; readonly name?: string };
  readonly data?: readonly { readonly secretKey?: string; readonly remoteRef?: { readonly key?: string; readonly property?: string } }[];
  readonly dataFrom?: readonly Record<string, unknown>[];
}

/** `ClusterSecretStore/infisical` (a SecretStore is its namespace's own: `SecretStore/<ns>/<name>`). */
export function storeOf(o: KubeObject): string {
  const ref = ((o.spec ?? {}) as ExternalSecretKeysSpec).secretStoreRef ?? {};
  const kind = ref.kind ?? 'SecretStore';
  return kind === 'ClusterSecretStore' ? `${kind}/${ref.name ?? '?'}` : `${kind}/${o.metadata.namespace ?? '?'}/${ref.name ?? '?'}`;
}

/** The store keys an ExternalSecret fetches by name (`data[].remoteRef.key`, with its property if any). */
export function remoteKeysOf(o: KubeObject): string[] {
  return (((o.spec ?? {}) as ExternalSecretKeysSpec).data ?? []).map((d) => `${d.remoteRef?.key ?? '?'}${d.remoteRef?.property ? `#${d.remoteRef.property}` : ''}`);
}

/** `extract:<key>` or `find:<json>` for every dataFrom entry: each pulls keys nobody listed. */
export function dataFromOf(o: KubeObject): string[] {
  return (((o.spec ?? {}) as ExternalSecretKeysSpec).dataFrom ?? []).map((e) => {
    const [how, what] = Object.entries(e ?? {})[0] ?? ['?', undefined];
    const ref = what as { key?: string } | undefined;
    return `${how}:${typeof ref?.key === 'string' ? ref.key : JSON.stringify(what ?? null)}`;
  });
}

const isExternalSecret = (o: KubeObject): boolean => o.kind === 'ExternalSecret' && !!o.apiVersion?.startsWith('external-secrets.io/');

/**
 * For one rule run: each ClusterSecretStore (`ClusterSecretStore/<name>`) and the namespaces its conditions name;
 * undefined when they do not limit it by name.
 */
const storeNamespaces = perRun((context): ReadonlyMap<string, ReadonlySet<string> | undefined> => new Map(
  context.ofKind('ClusterSecretStore').map((s) => {
    const conditions = ((s.spec ?? {}) as { conditions?: { namespaces?: string[] }[] }).conditions;
    const limited = conditions?.length && conditions.every((c) => c.namespaces);
    return [`ClusterSecretStore/${s.metadata.name}`, limited ? new Set(conditions.flatMap((c) => c.namespaces ?? [])) : undefined];
  }),
));

/** For one rule run: `store key` -> the namespaces whose ExternalSecrets name that key of that store. */
const keyReaders = perRun((context): ReadonlyMap<string, ReadonlySet<string>> => {
  const index = new Map<string, Set<string>>();
  for (const x of context.ofKind('ExternalSecret').filter(isExternalSecret)) {
    for (const key of remoteKeysOf(x)) {
      const id = `${storeOf(x)} ${key}`;
      if (!index.has(id)) index.set(id, new Set());
      index.get(id)!.add(x.metadata.namespace!);
    }
  }
  return index;
});

/**
 * HB-ESO-001: an ExternalSecret fetches only its own namespace's keys, by name. A store key that ExternalSecrets
 * of two namespaces name is one namespace's secret reaching another; `dataFrom` (extract or find) pulls every key
 * a path or pattern matches, now and whenever one is added to the store.
 */
export const externalSecretScopeRule: Rule = {
  id: 'HB-ESO-001',
  level: 'ERROR',
  suppressible: true,
  title: 'ExternalSecret fetches only its namespace\'s keys, by name',
  why:
    'The store limits which namespaces may read, not which keys: an ExternalSecret naming another namespace\'s key ' +
    '(or pulling keys by path or pattern with dataFrom) copies that secret into its namespace, where its workloads and ' +
    'anyone who reads Secrets there get it.',
  fix:
    'list the keys the namespace owns under data (scope each namespace to its own Infisical path or store); a key two ' +
    'namespaces really share, or a dataFrom, needs a suppression with the reason',
  check(o, context) {
    if (!isExternalSecret(o)) return [];
    const out: RuleFinding[] = dataFromOf(o).map((d, i) => ({
      finding: `[dataFrom:${i}]`,
      detail: `ExternalSecret ${o.metadata.namespace}/${o.metadata.name} pulls keys by ${d}`,
    }));
    const store = storeOf(o);
    const namespaces = storeNamespaces(context).get(store);
    if (namespaces && !namespaces.has(o.metadata.namespace ?? '')) {
      out.push({ finding: `[store:${store}]`, detail: `${store} does not serve namespace ${o.metadata.namespace} (its conditions: ${[...namespaces].join(', ')})` });
    }
    const readers = keyReaders(context);
    for (const key of [...new Set(remoteKeysOf(o))].sort()) {
      const alsoIn = [...(readers.get(`${store} ${key}`) ?? [])].filter((ns) => ns !== o.metadata.namespace).sort();
      if (alsoIn.length) {
        out.push({ finding: `[key:${key}]`, detail: `store key ${key} of ${store} also reaches namespace(s) ${alsoIn.join(', ')}` });
      }
    }
    return out;
  },
};

/**
 * HB-ESO-002: a ClusterSecretStore names the namespaces that may read it. Without conditions every namespace may;
 * a namespaceSelector or a regex admits any namespace someone labels or names to match.
 */
export const storeConditionsRule: Rule = {
  id: 'HB-ESO-002',
  level: 'ERROR',
  title: 'ClusterSecretStore lists the namespaces it serves by name',
  why:
    'A ClusterSecretStore without conditions serves every namespace; a label selector or name regex serves any ' +
    'namespace that matches later, including one created by whoever can create namespaces.',
  fix: 'list the namespaces by name in conditions[].namespaces (InfisicalClusterSecretStore does: the namespaces with a binding)',
  check(o) {
    if (o.kind !== 'ClusterSecretStore' || !o.apiVersion?.startsWith('external-secrets.io/')) return [];
    const conditions = ((o.spec ?? {}) as { conditions?: Record<string, unknown>[] }).conditions ?? [];
    if (!conditions.length) return [{ finding: '[conditions:none]', detail: `ClusterSecretStore ${o.metadata.name} has no conditions: every namespace may read it` }];
    return conditions.flatMap((c, i) => {
      const loose = Object.keys(c).filter((k) => k !== 'namespaces').sort();
      const names = c.namespaces as unknown[] | undefined;
      const out: RuleFinding[] = loose.map((k) => ({ finding: `[conditions:${i}][${k}]`, detail: `condition ${i} admits namespaces by ${k}: ${JSON.stringify(c[k])}` }));
      if (!names?.length) out.push({ finding: `[conditions:${i}][namespaces:none]`, detail: `condition ${i} names no namespace` });
      return out;
    });
  },
};
