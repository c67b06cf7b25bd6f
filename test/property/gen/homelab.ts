/** A whole generated homelab (namespaces, agents, secrets, workloads) and its builder. */
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import type * as Lib from '../../../lib';
import { LibModule, NamespaceSpec, buildNamespace, namespaceSpec } from './network';
import { AgentSpec, agents, buildAgent } from './rbac';
import { SecretsSpec, buildSecrets, secrets } from './secrets';
import { WorkloadSpec, buildWorkload, workloads } from './workloads';

export type { LibModule } from './network';

/** A generated homelab. Agents, bindings and workloads name their namespace by index (modulo). */
export interface HomelabSpec {
  readonly namespaces: readonly NamespaceSpec[];
  readonly agents?: readonly AgentSpec[];
  readonly secrets?: SecretsSpec;
  readonly workloads?: readonly WorkloadSpec[];
}

/** Options of {@link homelab}. */
export interface HomelabOptions {
  /** Prefix of every namespace name (the cluster suite keeps its namespaces apart from dist/'s). @default '' */
  readonly prefix?: string;
  /** @default 4 */
  readonly maxNamespaces?: number;
  /** Generate agents, secrets and workloads too. @default true */
  readonly full?: boolean;
}

/** 1-4 namespaces with distinct names and, unless `full: false`, agents, secrets and workloads placed in them. */
export function homelab(options: HomelabOptions = {}): fc.Arbitrary<HomelabSpec> {
  const namespaces = fc.uniqueArray(namespaceSpec(options.prefix), {
    minLength: 1,
    maxLength: options.maxNamespaces ?? 4,
    selector: (n) => n.name,
  });
  if (options.full === false) return namespaces.map((n) => ({ namespaces: n }));
  return fc
    .record(
      { namespaces, agents, secrets, workloads },
      { requiredKeys: ['namespaces'] },
    )
    // Two agents whose `<namespace>-<name>` ClusterRole names coincide would overwrite each other's file.
    .filter((h) => {
      const roles = (h.agents ?? []).map((a) => `${h.namespaces[a.ns % h.namespaces.length].name}-${a.name}`);
      return new Set(roles).size === roles.length;
    });
}

/** The construct id of the chart of `spec.namespaces[i]` (not its name, which may be the bad input). */
export const chartId = (i: number): string => `ns-${i}`;

/** Builds `spec` into `app` with `lib`: one Chart per namespace holding its agents, bindings and workloads. */
export function build(lib: LibModule, app: App, spec: HomelabSpec): void {
  const places = spec.namespaces.map((ns, i) => {
    const chart = new Chart(app, chartId(i));
    buildNamespace(lib, chart, ns);
    return { chart, namespace: ns.name };
  });
  const placeOf = (i: number) => places[i % places.length];
  for (const a of spec.agents ?? []) buildAgent(lib, placeOf(a.ns).chart, placeOf(a.ns).namespace, a);
  const bindings: Lib.ExternalSecretBinding[] = spec.secrets ? buildSecrets(lib, new Chart(app, 'secret-store'), spec.secrets, placeOf) : [];
  for (const w of spec.workloads ?? []) {
    const { chart, namespace } = placeOf(w.ns);
    buildWorkload(lib, chart, namespace, w, bindings.filter((b) => b.namespace === namespace));
  }
}
