import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

const guarded = new WeakSet<IConstruct>();

/**
 * Refuses, at synth, every object of kind Secret under `scope` with a non-empty value in `data` or `stringData`: secret
 * values come from the secret store through an ExternalSecret, never from code or `dist/`. Idempotent.
 */
export function forbidSecretValues(scope: IConstruct): void {
  if (guarded.has(scope)) return;
  guarded.add(scope);
  scope.node.addValidation({
    validate: () =>
      scope.node
        .findAll()
        .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'Secret')
        .filter((secret) => {
          const json = secret.toJson();
          // An empty string is a declared key without a value (as charts render unset credentials).
          return ['data', 'stringData'].some((field) => Object.values(json[field] ?? {}).some((v) => v !== ''));
        })
        .map(
          (secret) =>
            `Secret "${secret.name}" (construct ${secret.node.path}) carries values in data/stringData. ` +
            'Allowed: Secrets created by External Secrets from the secret store. ' +
            'Fix: put the value in the store and declare an ExternalSecretBinding for its key.',
        ),
  });
}
