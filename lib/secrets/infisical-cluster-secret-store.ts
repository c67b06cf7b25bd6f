import { Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ClusterSecretStore } from '../../imports/eso-external-secrets.io';
import { fail } from '../errors';
import { validateDnsLabel, validateDnsSubdomain } from '../validate';
import { forbidSecretValues } from './no-secret-values';

/** A ClusterSecretStore that {@link ExternalSecretBinding}s read from, and that decides who may. */
export interface IClusterSecretStore extends IConstruct {
  /** The store's `metadata.name`, referenced by `secretStoreRef.name`. */
  readonly storeName: string;
  /**
   * Records that `consumer` reads from this store in `namespace`; the namespace then appears in the store's
   * `conditions`. Throws if the store refuses the namespace.
   */
  addConsumer(consumer: IConstruct, namespace: string): void;
}

/** Where the store finds the Universal Auth machine identity (a bootstrap Secret created outside git). */
export interface UniversalAuthProps {
  /**
   * The Secret holding the machine identity.
   * @default 'infisical-machine-identity'
   */
  readonly secretName?: string;
  /**
   * The Secret's namespace: the operator's own, so no workload namespace can read it.
   * @default 'external-secrets'
   */
  readonly namespace?: string;
  /**
   * The key of the client ID.
   * @default 'clientId'
   */
  readonly clientIdKey?: string;
  /**
   * The key of the client secret.
   * @default 'clientSecret'
   */
  readonly clientSecretKey?: string;
}

/** Props of {@link InfisicalClusterSecretStore}. */
export interface InfisicalClusterSecretStoreProps {
  /**
   * The store's `metadata.name`.
   * @default 'infisical'
   */
  readonly name?: string;
  /**
   * The Infisical API base URL. `https` is required, except for an in-cluster Service (`*.svc` or
   * `*.svc.cluster.local`), whose traffic never leaves the node. No trailing slash: ESO resolves its API
   * paths against this URL, and a trailing slash doubles the `/api` segment.
   * @default 'https://app.infisical.com/api' (Infisical Cloud, ESO's own default)
   */
  readonly hostAPI?: string;
  /** The Infisical project slug. */
  readonly projectSlug: string;
  /** The Infisical environment slug, e.g. `prod`. */
  readonly environmentSlug: string;
  /**
   * The folder of the project that remote keys are read from.
   * @default '/'
   */
  readonly secretsPath?: string;
  /**
   * The machine identity used to log in (Universal Auth).
   * @default - Secret `infisical-machine-identity` in `external-secrets`, keys `clientId` and `clientSecret`
   */
  readonly universalAuth?: UniversalAuthProps;
  /**
   * The namespaces that may ever bind to this store. A binding anywhere else fails synth, so widening
   * the store is a reviewed change to this list. The store's `conditions` still only list the namespaces
   * that actually have a binding.
   * @default - any namespace that declares a binding
   */
  readonly namespaces?: readonly string[];
}

const DEFAULT_HOST_API = 'https://app.infisical.com/api';
const IN_CLUSTER_HOST = /\.svc(\.cluster\.local)?$/;
const SECRETS_PATH = /^\/([A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*)?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/; // the Kubernetes Secret key rule the CRD enforces

/**
 * The cluster-wide Infisical store (`external-secrets.io/v1` ClusterSecretStore) with Universal Auth. Its
 * `conditions` list exactly the namespaces that declare an {@link ExternalSecretBinding}, so an ExternalSecret
 * anywhere else is refused by ESO; a store without any binding fails synth (empty `conditions` would let
 * every namespace in). Creating the store also forbids Secret values anywhere in the app
 * ({@link forbidSecretValues}): with a store in place, every secret comes from it.
 */
export class InfisicalClusterSecretStore extends Construct implements IClusterSecretStore {
  public readonly storeName: string;
  /** The Infisical API base URL. */
  public readonly hostAPI: string;
  /** The underlying ClusterSecretStore. */
  public readonly apiObject: ClusterSecretStore;
  private readonly allowed?: ReadonlySet<string>;
  private readonly consumers = new Set<string>();

  constructor(scope: Construct, id: string, props: InfisicalClusterSecretStoreProps) {
    super(scope, id);
    this.storeName = validateDnsSubdomain(this, 'store name', props.name ?? 'infisical');
    this.hostAPI = validateHostApi(this, props.hostAPI ?? DEFAULT_HOST_API);
    const secretsPath = props.secretsPath ?? '/';
    if (!SECRETS_PATH.test(secretsPath) || secretsPath.split('/').some((s) => s === '.' || s === '..')) {
      fail(this, {
        problem: 'invalid secretsPath',
        value: secretsPath,
        allowed: 'an absolute folder path such as "/" or "/homelab/prod" (letters, digits, "_", "-", "."; no "." or ".." segment)',
        fix: 'set secretsPath to the Infisical folder holding the keys',
      });
    }
    const auth = props.universalAuth ?? {};
    const ref = (key: string, what: string) => ({
      name: validateDnsSubdomain(this, 'machine identity Secret name', auth.secretName ?? 'infisical-machine-identity'),
      namespace: validateDnsLabel(this, 'machine identity namespace', auth.namespace ?? 'external-secrets'),
      key: validateSecretKey(this, what, key),
    });
    if (props.namespaces) {
      this.allowed = new Set(props.namespaces.map((ns) => validateDnsLabel(this, 'allowed namespace', ns)));
    }

    this.apiObject = new ClusterSecretStore(this, 'Resource', {
      metadata: { name: this.storeName },
      spec: {
        conditions: Lazy.any({ produce: () => [{ namespaces: this.namespaces }] }),
        provider: {
          infisical: {
            hostApi: this.hostAPI,
            auth: {
              universalAuthCredentials: {
                clientId: ref(auth.clientIdKey ?? 'clientId', 'client ID key'),
                clientSecret: ref(auth.clientSecretKey ?? 'clientSecret', 'client secret key'),
              },
            },
            secretsScope: {
              projectSlug: validateDnsLabel(this, 'Infisical project slug', props.projectSlug),
              environmentSlug: validateDnsLabel(this, 'Infisical environment slug', props.environmentSlug),
              secretsPath,
              // The API server's defaults, spelled out so that ArgoCD sees no drift.
              expandSecretReferences: true,
              recursive: false,
            },
          },
        },
      },
    });
    this.node.addValidation({
      validate: () =>
        this.consumers.size > 0
          ? []
          : [
              `ClusterSecretStore "${this.storeName}" has no ExternalSecretBinding. Allowed: a store with at least one binding ` +
                '(empty conditions would let every namespace use it). Fix: declare a binding or remove the store.',
            ],
    });
    forbidSecretValues(this.node.root);
  }

  /** The namespaces that may use the store: those with a binding, sorted. */
  public get namespaces(): string[] {
    return [...this.consumers].sort();
  }

  public addConsumer(consumer: IConstruct, namespace: string): void {
    if (this.allowed && !this.allowed.has(namespace)) {
      fail(consumer, {
        problem: `ClusterSecretStore "${this.storeName}" refuses namespace`,
        value: namespace,
        allowed: [...this.allowed].sort().join(', '),
        fix: `add "${namespace}" to the store's \`namespaces\` if it really needs secrets from ${this.storeName}, or bind in an allowed namespace`,
      });
    }
    this.consumers.add(namespace);
  }
}

function validateHostApi(scope: IConstruct, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const problem =
    !url ? 'not a URL'
    : url.username || url.password ? 'carries credentials'
    : url.search || url.hash ? 'carries a query or fragment'
    : value.endsWith('/') ? 'ends with "/"'
    : url.protocol === 'https:' ? undefined
    : url.protocol === 'http:' && IN_CLUSTER_HOST.test(url.hostname) ? undefined
    : 'is not https';
  if (problem) {
    fail(scope, {
      problem: `invalid hostAPI (${problem})`,
      value,
      allowed: 'an https URL without trailing slash, or http to an in-cluster Service (*.svc, *.svc.cluster.local)',
      fix: 'e.g. "https://app.infisical.com/api" or "http://<service>.<namespace>.svc.cluster.local:8080/api"',
    });
  }
  return value;
}

function validateSecretKey(scope: IConstruct, what: string, key: string): string {
  if (!SECRET_KEY.test(key) || key.length > 253) {
    fail(scope, {
      problem: `invalid ${what}`,
      value: key,
      allowed: 'a Secret key: letters, digits, "-", "_" or ".", at most 253 characters',
      fix: 'use the key under which the machine identity Secret stores the value',
    });
  }
  return key;
}
