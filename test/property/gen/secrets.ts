/** Generators of a valid Infisical ClusterSecretStore and ExternalSecretBindings to it. */
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import type * as Lib from '../../../lib';
import type { LibModule } from './network';
import { dnsLabel } from './primitives';

export interface KeySpec {
  readonly secretKey: string;
  readonly remoteKey?: string;
}

export interface BindingSpec {
  /** Index into the homelab's namespaces (modulo their number). */
  readonly ns: number;
  readonly name: string;
  readonly keys: readonly KeySpec[];
  readonly refreshInterval?: string;
  readonly deletionPolicy?: 'Retain' | 'Delete';
}

export interface StoreSpec {
  readonly name?: string;
  readonly hostAPI?: string;
  readonly projectSlug: string;
  readonly environmentSlug: string;
  readonly secretsPath?: string;
  /** Restrict the store to the namespaces that have a binding (the homelab's way) or leave it open. */
  readonly restrict: boolean;
}

export interface SecretsSpec {
  readonly store: StoreSpec;
  readonly bindings: readonly BindingSpec[];
}

/** A Go duration from 1m to 24h, in the spellings operators write ("90m", "1h30m", "3600s", "1.5h"). */
export const refreshInterval: fc.Arbitrary<string> = fc.integer({ min: 1, max: 24 * 60 }).chain((minutes) =>
  fc.constantFrom(
    `${minutes}m`,
    `${minutes * 60}s`,
    minutes >= 60 ? `${Math.floor(minutes / 60)}h${minutes % 60 ? `${minutes % 60}m` : ''}` : `${minutes}m0s`,
    // Fractions only where they are exact (a tenth of an hour), as an operator would write them.
    minutes % 6 === 0 ? `${minutes / 60}h` : `${minutes}m`,
  ),
);

const secretKey = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,40}$/);
const remoteKey = fc.stringMatching(/^[A-Za-z0-9_.\-/]{1,60}$/);

const store: fc.Arbitrary<StoreSpec> = fc.record(
  {
    name: dnsLabel({ maxLength: 30 }),
    hostAPI: fc.oneof(
      fc.constant('https://app.infisical.com/api'),
      fc.tuple(dnsLabel({ maxLength: 20 }), dnsLabel({ maxLength: 20 })).map(([svc, ns]) => `http://${svc}.${ns}.svc.cluster.local:8080/api`),
      dnsLabel({ maxLength: 20 }).map((host) => `https://${host}.example.com`),
    ),
    projectSlug: dnsLabel({ maxLength: 30 }),
    environmentSlug: dnsLabel({ maxLength: 20 }),
    secretsPath: fc.oneof(fc.constant('/'), fc.stringMatching(/^(\/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,10}){1,3}$/)),
    restrict: fc.boolean(),
  },
  { requiredKeys: ['projectSlug', 'environmentSlug', 'restrict'] },
);

/** A store and 1-3 bindings with distinct names (prefixed `es-`) and keys. */
export const secrets: fc.Arbitrary<SecretsSpec> = fc.record({
  store,
  bindings: fc.uniqueArray(
    fc.record(
      {
        ns: fc.nat(),
        name: dnsLabel({ prefix: 'es-', maxLength: 40 }),
        keys: fc.uniqueArray(
          fc.record({ secretKey, remoteKey }, { requiredKeys: ['secretKey'] }),
          { minLength: 1, maxLength: 5, selector: (k) => k.secretKey },
        ),
        refreshInterval,
        deletionPolicy: fc.constantFrom('Retain' as const, 'Delete' as const),
      },
      { requiredKeys: ['ns', 'name', 'keys'] },
    ),
    { minLength: 1, maxLength: 3, selector: (b) => b.name },
  ),
});

/** Builds the store in `storeScope` and each binding in the chart of its namespace. */
export function buildSecrets(
  lib: LibModule,
  storeScope: Construct,
  spec: SecretsSpec,
  placeOf: (ns: number) => { chart: Construct; namespace: string },
): Lib.ExternalSecretBinding[] {
  const namespaces = [...new Set(spec.bindings.map((b) => placeOf(b.ns).namespace))];
  const s = new lib.InfisicalClusterSecretStore(storeScope, 'Store', {
    name: spec.store.name,
    hostAPI: spec.store.hostAPI,
    projectSlug: spec.store.projectSlug,
    environmentSlug: spec.store.environmentSlug,
    secretsPath: spec.store.secretsPath,
    namespaces: spec.store.restrict ? namespaces : undefined,
  });
  return spec.bindings.map((b) => {
    const { chart, namespace } = placeOf(b.ns);
    return new lib.ExternalSecretBinding(chart, `Secret-${b.name}`, {
      store: s,
      name: b.name,
      namespace,
      // Each namespace's keys under its own prefix: a key two namespaces share needs a reason (HB-ESO-001).
      data: b.keys.map((k) => ({ secretKey: k.secretKey, remoteKey: `${namespace}/${k.remoteKey ?? k.secretKey}`.slice(0, 256) })),
      refreshInterval: b.refreshInterval,
      deletionPolicy: b.deletionPolicy as Lib.DeletionPolicy | undefined,
    });
  });
}
