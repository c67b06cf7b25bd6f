import { IConstruct } from 'constructs';
import { EnvVar } from 'cdk8s-plus-28/lib/imports/k8s';
import { fail } from '../errors';
import { validateDnsSubdomain } from '../validate';

const KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * The value of one environment variable: a literal, or one key of a ConfigMap or Secret of the workload's
 * namespace (`valueFrom`). A Secret key may have any Secret key format (`admin-password`): the variable has
 * its own name. Factories never throw: the workload validates, so the error names its path.
 */
export class EnvValue {
  /** A literal value. Never a secret: those come from {@link fromSecretKey}. */
  public static fromValue(value: string): EnvValue {
    return new EnvValue((name) => ({ name, value }), () => undefined);
  }

  /** One key of a ConfigMap (`valueFrom.configMapKeyRef`). */
  public static fromConfigMapKey(configMapName: string, key: string): EnvValue {
    return new EnvValue((name) => ({ name, valueFrom: { configMapKeyRef: { name: configMapName, key } } }), (scope) => check(scope, 'ConfigMap', configMapName, key));
  }

  /** One key of a Secret (`valueFrom.secretKeyRef`), e.g. of an `ExternalSecretBinding`. */
  public static fromSecretKey(secretName: string, key: string): EnvValue {
    return new EnvValue((name) => ({ name, valueFrom: { secretKeyRef: { name: secretName, key } } }), (scope) => check(scope, 'Secret', secretName, key));
  }

  private constructor(
    private readonly build: (name: string) => EnvVar,
    private readonly validate: (scope: IConstruct) => void,
  ) {}

  /** The variable `name` with this value, after checking the reference. */
  public render(scope: IConstruct, name: string): EnvVar {
    this.validate(scope);
    return this.build(name);
  }
}

function check(scope: IConstruct, what: string, name: string, key: string): void {
  validateDnsSubdomain(scope, `${what} name`, name);
  if (typeof key !== 'string' || !KEY.test(key) || key.length > 253) {
    fail(scope, {
      problem: `invalid ${what} key`,
      value: key,
      allowed: `a ${what} key: 1-253 letters, digits, "-", "_" or "."`,
      fix: `name a key the ${what} holds`,
    });
  }
}
