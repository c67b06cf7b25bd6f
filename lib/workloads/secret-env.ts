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

/** Validates a secret source (name, keys usable as variable names) and renders its `envFrom` entry. */
export function renderSecretEnv(scope: IConstruct, source: ISecretEnvSource): EnvFromSource {
  validateDnsSubdomain(scope, 'Secret name', source.secretName);
  if (!source.keys?.length) {
    fail(scope, {
      problem: 'Secret without keys used as environment',
      value: source.secretName,
      allowed: 'a Secret that lists the keys it holds',
      fix: 'list the keys on the ExternalSecret, or drop the source',
    });
  }
  for (const key of source.keys) validateEnvName(scope, `key of Secret "${source.secretName}"`, key);
  return { secretRef: { name: source.secretName } };
}
