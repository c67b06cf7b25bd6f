import { IConstruct } from 'constructs';
import { EnvFromSource } from 'cdk8s-plus-28/lib/imports/k8s';
import { fail } from '../errors';
import { validateDnsSubdomain } from '../validate';

/**
 * A Kubernetes Secret whose keys become environment variables (`envFrom.secretRef`). An
 * `ExternalSecretBinding` satisfies it structurally; so does any literal `{ secretName, keys }`.
 */
export interface ISecretEnvSource {
  /** The Secret's name, in the workload's namespace. */
  readonly secretName: string;
  /** The keys the Secret holds: each becomes an environment variable of the same name. */
  readonly keys: readonly string[];
}

// The kubelet silently skips envFrom keys that are not valid variable names; refuse them instead.
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * Checks an environment variable name as the 1.28 API server does (IsEnvVarName): the pattern, and not
 * ".", ".." or anything starting with ".." (names that double as relative paths).
 */
export function validateEnvName(scope: IConstruct, what: string, name: string): string {
  if (typeof name !== 'string' || !ENV_NAME.test(name) || name === '.' || name.startsWith('..')) {
    fail(scope, {
      problem: `invalid ${what}`,
      value: name,
      allowed: 'an environment variable name: letters, digits, "_", "-" and ".", not starting with a digit or "..", and not "."',
      fix: 'rename it (for a Secret key: in the secret store and on the ExternalSecret)',
    });
  }
  return name;
}

/** A ConfigMap whose keys become environment variables (`envFrom.configMapRef`), e.g. a `LiteralConfigMap`. */
export interface IConfigMapEnvSource {
  /** The ConfigMap's name, in the workload's namespace. */
  readonly configMapName: string;
  /** The keys it holds: each becomes an environment variable of the same name. */
  readonly keys: readonly string[];
}

/** Secret keys injected whole (`envFrom`) must be conventional variable names: the store's keys are shared by many consumers. */
const SECRET_ENV_KEY = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Checks that every key of a Secret injected through `envFrom` is an upper-case variable name. Secret keys
 * may be anything `[-._a-zA-Z0-9]+` (charts read `admin-password`); such a key is read with a `secretKeyRef`
 * under a variable name of its own instead.
 */
export function validateSecretEnvKeys(scope: IConstruct, secretName: string, keys: readonly string[]): void {
  for (const key of keys) {
    if (!SECRET_ENV_KEY.test(key)) {
      fail(scope, {
        problem: `key of Secret "${secretName}" is not an environment variable name`,
        value: key,
        allowed: 'upper-case letters, digits and "_", not starting with a digit (for keys injected with envFrom)',
        fix: `read it with env: { NAME: EnvValue.fromSecretKey("${secretName}", ${JSON.stringify(key)}) } instead of envFrom, or rename the key`,
      });
    }
  }
}

/** Validates an `envFrom` source (a Secret or a ConfigMap; its keys usable as variable names) and renders its entry. */
export function renderSecretEnv(scope: IConstruct, source: ISecretEnvSource | IConfigMapEnvSource): EnvFromSource {
  const isConfigMap = 'configMapName' in source;
  const name = isConfigMap ? source.configMapName : source.secretName;
  const what = isConfigMap ? 'ConfigMap' : 'Secret';
  validateDnsSubdomain(scope, `${what} name`, name);
  if (!source.keys?.length) {
    fail(scope, {
      problem: `${what} without keys used as environment`,
      value: name,
      allowed: `a ${what} that lists the keys it holds`,
      fix: isConfigMap ? 'add keys to the ConfigMap, or drop the source' : 'list the keys on the ExternalSecret, or drop the source',
    });
  }
  for (const key of source.keys) validateEnvName(scope, `key of ${what} "${name}"`, key);
  if (isConfigMap) return { configMapRef: { name } };
  validateSecretEnvKeys(scope, name, source.keys);
  return { secretRef: { name } };
}
