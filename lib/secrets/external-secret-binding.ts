import { Lazy } from 'cdk8s';
import { EnvFromSource, EnvVar } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecDataRemoteRef,
  ExternalSecretSpecDataRemoteRefConversionStrategy,
  ExternalSecretSpecDataRemoteRefDecodingStrategy,
  ExternalSecretSpecDataRemoteRefMetadataPolicy,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
  ExternalSecretSpecTargetTemplateMergePolicy,
} from '../../imports/eso-external-secrets.io';
import { fail } from '../errors';
import { HardenedNamespace, namespaceName } from '../hardened-namespace';
import { keyPurposeAnnotation } from '../annotations';
import { validateDnsSubdomain, validatePurpose } from '../validate';
import { validateSecretEnvKeys } from '../workloads/secret-env';
import { parseGoDuration } from './duration';
import { IClusterSecretStore } from './infisical-cluster-secret-store';

/**
 * What happens to the Kubernetes Secret when its keys disappear from the store (`target.deletionPolicy`).
 * Either way the Secret is garbage-collected with its ExternalSecret (`creationPolicy: Owner`).
 */
export enum DeletionPolicy {
  /** Keep the last synced values: a store outage or a mistaken deletion does not take the workload down. */
  RETAIN = 'Retain',
  /** Delete the Secret too: for credentials that must vanish from the cluster as soon as they leave the store. */
  DELETE = 'Delete',
}

/** One key of the Secret and where its value comes from. */
export interface SecretKeyMapping {
  /**
   * The key in the Kubernetes Secret, any valid Secret key (`[-._a-zA-Z0-9]+`, as charts read `admin-password`).
   * Keys a workload injects as environment variables (`envFrom`) must also be `^[A-Z_][A-Z0-9_]*$`.
   */
  readonly secretKey: string;
  /**
   * The key in the store.
   * @default - the same as `secretKey`
   */
  readonly remoteKey?: string;
  /**
   * What the key is for ("LLM inference via OpenRouter"): emitted as `baseline.homelab.dev/purpose.<KEY>` on
   * the ExternalSecret and shown in the report's secret-keys table.
   * @default - none: the report lists the key as undocumented
   */
  readonly purpose?: string;
}

/** Props of {@link ExternalSecretBinding}. Every list prop is sugar over the matching `add*` method. */
export interface ExternalSecretBindingProps {
  /** The store the values come from. */
  readonly store: IClusterSecretStore;
  /** The name of the ExternalSecret and of the Secret it creates. */
  readonly name: string;
  /** The namespace of both. */
  readonly namespace: HardenedNamespace | string;
  /**
   * The keys fetched from the store.
   * @default - none; add them with {@link ExternalSecretBinding.addKey} (a binding without keys fails synth)
   */
  readonly data?: readonly SecretKeyMapping[];
  /**
   * Keys rendered from the fetched ones with an ESO v2 template, e.g.
   * `{ DATABASE_URL: 'postgres://app:{{ .DB_PASSWORD }}@db:5432/app' }`. A template may only reference
   * fetched keys, and never holds a value itself.
   * @default - none
   */
  readonly templatedKeys?: Readonly<Record<string, string>>;
  /**
   * How often ESO re-reads the store: a Go duration from 1m to 24h. Rotation in the store reaches the
   * Secret within this interval.
   * @default '1h'
   */
  readonly refreshInterval?: string;
  /**
   * What happens to the Secret when its keys disappear from the store.
   * @default DeletionPolicy.RETAIN
   */
  readonly deletionPolicy?: DeletionPolicy;
}

/** A Kubernetes Secret key; the upper-case rule for keys used as environment variables is `envFrom`'s (secret-env.ts). */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const REMOTE_KEY = /^[A-Za-z0-9_.\-/]{1,256}$/;
const TEMPLATE_REF = /{{[^}]*?\.([A-Za-z_][A-Za-z0-9_]*)[^}]*}}/g;
const DELETION_POLICY: Record<DeletionPolicy, ExternalSecretSpecTargetDeletionPolicy> = {
  [DeletionPolicy.RETAIN]: ExternalSecretSpecTargetDeletionPolicy.RETAIN,
  [DeletionPolicy.DELETE]: ExternalSecretSpecTargetDeletionPolicy.DELETE,
};
const MIN_REFRESH_MS = 60_000;
const MAX_REFRESH_MS = 24 * 3_600_000;

/**
 * One ExternalSecret (`external-secrets.io/v1`) from a ClusterSecretStore to one Kubernetes Secret of the same
 * name in one namespace: `creationPolicy: Owner` (the Secret lives and dies with the ExternalSecret), an
 * explicit `deletionPolicy`, and a validated `refreshInterval`. Workloads consume it through
 * {@link envFrom} or {@link envVar}; the values themselves never appear in code or `dist/`.
 */
export class ExternalSecretBinding extends Construct {
  /** The name of the Kubernetes Secret (the same as the ExternalSecret's). */
  public readonly secretName: string;
  /** The namespace of the ExternalSecret and the Secret. */
  public readonly namespace: string;
  /** The effective refresh interval. */
  public readonly refreshInterval: string;
  /** The effective deletion policy. */
  public readonly deletionPolicy: DeletionPolicy;
  /** The store the values come from. */
  public readonly store: IClusterSecretStore;
  /** The underlying ExternalSecret. */
  public readonly apiObject: ExternalSecret;
  private readonly data: { secretKey: string; remoteKey: string }[] = [];
  private readonly templates = new Map<string, string>();
  /** Purpose annotations of the keys, by annotation key. */
  private readonly purposes = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ExternalSecretBindingProps) {
    super(scope, id);
    this.secretName = validateDnsSubdomain(this, 'ExternalSecret name', props.name);
    this.namespace = namespaceName(this, props.namespace);
    this.refreshInterval = validateRefreshInterval(this, props.refreshInterval ?? '1h');
    this.deletionPolicy = props.deletionPolicy ?? DeletionPolicy.RETAIN;
    if (!(this.deletionPolicy in DELETION_POLICY)) {
      fail(this, {
        problem: 'unknown deletionPolicy',
        value: this.deletionPolicy,
        allowed: Object.values(DeletionPolicy).join(', '),
        fix: 'use DeletionPolicy.RETAIN or DeletionPolicy.DELETE',
      });
    }
    this.store = props.store;
    props.store.addConsumer(this, this.namespace);

    for (const mapping of props.data ?? []) this.addKey(mapping.secretKey, mapping.remoteKey, mapping.purpose);
    for (const [key, template] of Object.entries(props.templatedKeys ?? {})) this.addTemplatedKey(key, template);

    this.apiObject = new ExternalSecret(this, 'Resource', {
      metadata: { name: this.secretName, namespace: this.namespace, annotations: Object.fromEntries(this.purposes) },
      spec: {
        secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: props.store.storeName },
        refreshInterval: this.refreshInterval,
        target: {
          name: this.secretName,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          deletionPolicy: DELETION_POLICY[this.deletionPolicy],
          template: Lazy.any({ produce: () => this.renderTemplate() }),
        },
        data: Lazy.any({ produce: () => this.data.map((d) => ({ secretKey: d.secretKey, remoteRef: remoteRef(d.remoteKey) })) }),
      },
    });
    this.node.addValidation({
      validate: () =>
        this.data.length > 0
          ? []
          : [`ExternalSecret "${this.secretName}" has no keys. Allowed: at least one key. Fix: pass \`data\` or call addKey().`],
    });
  }

  /** The keys of the Kubernetes Secret: fetched keys, then templated keys. */
  public get keys(): readonly string[] {
    return [...this.data.map((d) => d.secretKey), ...this.templates.keys()];
  }

  /** Fetches `remoteKey` from the store into the Secret's `secretKey`; `purpose` says what the key is for. */
  public addKey(secretKey: string, remoteKey: string = secretKey, purpose?: string): void {
    this.checkNewKey(secretKey);
    if (typeof remoteKey !== 'string' || !REMOTE_KEY.test(remoteKey)) {
      fail(this, {
        problem: 'invalid remote key',
        value: remoteKey,
        allowed: 'a store key of 1-256 letters, digits, "_", "-", "." or "/"',
        fix: `set remoteKey to the key's name in the store (the default is the secretKey "${secretKey}")`,
      });
    }
    this.data.push({ secretKey, remoteKey });
    if (purpose !== undefined) {
      const text = validatePurpose(this, `secret key ${secretKey}`, purpose, 'LLM inference via OpenRouter');
      // The purpose travels as the annotation `purpose.<KEY>`, whose name part Kubernetes caps at 63 characters.
      if (`purpose.${secretKey}`.length > 63) {
        fail(this, {
          problem: 'secret key too long to carry its purpose',
          value: secretKey,
          allowed: 'a key of at most 55 characters (its purpose annotation `purpose.<KEY>` has at most 63)',
          fix: 'shorten the key',
        });
      }
      this.purposes.set(keyPurposeAnnotation(secretKey), text);
      this.apiObject?.metadata.addAnnotation(keyPurposeAnnotation(secretKey), text);
    }
  }

  /** Adds `secretKey`, rendered by ESO from fetched keys with the v2 template `template`. */
  public addTemplatedKey(secretKey: string, template: string): void {
    this.checkNewKey(secretKey);
    const fetched = new Set(this.data.map((d) => d.secretKey));
    const refs = [...String(template).matchAll(TEMPLATE_REF)].map((m) => m[1]);
    const unknown = refs.filter((r) => !fetched.has(r));
    if (refs.length === 0 || unknown.length > 0) {
      fail(this, {
        problem: `template of ${secretKey} must reference fetched keys only`,
        value: template,
        allowed: `a template using {{ .KEY }} with KEY one of: ${[...fetched].join(', ') || '(no key fetched yet)'}`,
        fix: unknown.length > 0 ? `fetch ${unknown.join(', ')} with addKey() first` : 'reference at least one fetched key; literal values belong in the store',
      });
    }
    this.templates.set(secretKey, template);
  }

  /** All keys of the Secret as environment variables of the same names (each key must be an upper-case variable name). */
  public envFrom(): EnvFromSource {
    validateSecretEnvKeys(this, this.secretName, this.keys);
    return { secretRef: { name: this.secretName } };
  }

  /** One key of the Secret as the environment variable `name` (default: the key itself). */
  public envVar(key: string, name: string = key): EnvVar {
    if (!this.keys.includes(key)) {
      fail(this, {
        problem: `Secret "${this.secretName}" has no such key`,
        value: key,
        allowed: this.keys.join(', '),
        fix: 'use one of the listed keys, or fetch the key with addKey() first',
      });
    }
    return { name, valueFrom: { secretKeyRef: { name: this.secretName, key } } };
  }

  private checkNewKey(secretKey: string): void {
    if (typeof secretKey !== 'string' || !SECRET_KEY.test(secretKey) || secretKey.length > 253) {
      fail(this, {
        problem: 'invalid secret key',
        value: secretKey,
        allowed: 'a Secret key: 1-253 letters, digits, "-", "_" or "."',
        fix: `rename it, e.g. ${JSON.stringify(String(secretKey).replace(/[^-._a-zA-Z0-9]/g, '_') || 'KEY')}`,
      });
    }
    if (this.keys.includes(secretKey)) {
      fail(this, {
        problem: 'duplicate secret key',
        value: secretKey,
        allowed: 'each key once per Secret',
        fix: 'remove the second declaration (one key has one source)',
      });
    }
  }

  private renderTemplate() {
    if (this.templates.size === 0) return undefined;
    return {
      engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
      // Merge keeps the fetched keys beside the templated ones (Replace would drop them).
      mergePolicy: ExternalSecretSpecTargetTemplateMergePolicy.MERGE,
      data: Object.fromEntries(this.templates),
    };
  }
}

/**
 * The remote reference with the API server's defaults spelled out: a field the server adds but `dist/` omits
 * shows as permanent drift in ArgoCD.
 */
function remoteRef(key: string): ExternalSecretSpecDataRemoteRef {
  return {
    key,
    conversionStrategy: ExternalSecretSpecDataRemoteRefConversionStrategy.DEFAULT,
    decodingStrategy: ExternalSecretSpecDataRemoteRefDecodingStrategy.NONE,
    metadataPolicy: ExternalSecretSpecDataRemoteRefMetadataPolicy.NONE,
  };
}

function validateRefreshInterval(scope: Construct, value: string): string {
  const ms = parseGoDuration(value);
  if (ms === undefined || ms < MIN_REFRESH_MS || ms > MAX_REFRESH_MS) {
    fail(scope, {
      problem: ms === undefined ? 'invalid refreshInterval' : 'refreshInterval out of range',
      value,
      allowed: 'a Go duration from 1m to 24h, e.g. "1h", "30m", "1h30m"',
      fix: 'use "1h" (the baseline) unless the store needs another cadence',
    });
  }
  return value;
}
