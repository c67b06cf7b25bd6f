import { makesPods, podReferences, podTemplateOf } from '../../pod-template';
import { KubeObject } from '../../synth/manifest';
import { isClusterScoped } from '../../synth/scope';
import { didYouMean } from '../../validate';
import { Rule, RuleFinding, perRun } from '../rule';

/**
 * Namespaces and Secrets that exist in the cluster without being built by this app, each with the reason
 * (e.g. `kube-system`: the cluster's own). Keyed by namespace name, and by `namespace/secret` for Secrets.
 */
export type ExternalDeclarations = Readonly<Record<string, string>>;

/** The namespaces the synth builds (its Namespace objects), sorted; computed once per rule run. */
const builtNamespaces = perRun((context): { readonly list: string[]; readonly set: ReadonlySet<string> } => {
  const list = context.ofKind('Namespace').map((n) => n.metadata.name).sort();
  return { list, set: new Set(list) };
});

/**
 * HB-NS-004: namespace closure. Every namespaced object lives in a namespace this synth builds (a Namespace
 * object, in practice a HardenedNamespace with its Pod Security labels and default-deny), or in one declared
 * external with a reason. A typo (`jelyfin`) would otherwise deploy into a namespace ArgoCD creates on the fly
 * or that does not exist: no Pod Security, no default-deny.
 */
export function namespaceClosureRule(external: ExternalDeclarations): Rule {
  return {
    id: 'HB-NS-004',
    level: 'ERROR',
    suppressible: false,
    title: 'Every namespaced object lives in a namespace the app builds',
    why:
      'an object in a namespace that no HardenedNamespace builds runs without Pod Security labels and without ' +
      'the default-deny policies: a typo in a namespace name silently drops the whole baseline.',
    fix: 'correct the namespace name, add the namespace to the app (a service / HardenedNamespace), or declare it external with a reason',
    check(o, context) {
      const ns = o.metadata.namespace;
      if (!ns || isClusterScoped(o.kind) || ns in external) return [];
      const built = builtNamespaces(context);
      if (built.set.has(ns)) return [];
      return [{
        finding: `[namespace:${ns}]`,
        detail: `${o.kind} "${o.metadata.name}" is in namespace "${ns}", which the app does not build${didYouMean(ns, built.list)}; built: ${built.list.join(', ') || 'none'}`,
      }];
    },
  };
}

/** The Secret names an ExternalSecret writes (`spec.target.name`, else its own name). */
function externalSecretTarget(es: KubeObject): string {
  return (es.spec as any)?.target?.name ?? es.metadata.name;
}

/**
 * HB-NS-005: every Secret and PersistentVolumeClaim a pod template reads is declared in its namespace: a
 * Secret by an ExternalSecret (or a Secret object, or an external declaration `namespace/name`), a claim by a
 * PersistentVolumeClaim object. A misspelt reference is a pod stuck in ContainerCreating, or with an
 * optional reference, a workload silently running without its credentials.
 */
export function referenceClosureRule(externalSecrets: ExternalDeclarations): Rule {
  return {
    id: 'HB-NS-005',
    level: 'ERROR',
    suppressible: false,
    title: 'Secrets and claims a workload reads are declared in its namespace',
    why: 'a reference to a Secret or claim nothing declares fails at run time (or, when optional, runs without it), invisible in review.',
    fix: 'declare the Secret as an ExternalSecret (service `secrets`) or the claim (service `claims`) in the same namespace, or correct the name',
    check(o, context) {
      if (!makesPods(o.kind)) return [];
      const ns = o.metadata.namespace;
      const template = podTemplateOf(o);
      if (!ns || !template?.spec) return [];
      const refs = podReferences(template.spec);
      const secrets = new Set([
        ...context.ofKind('ExternalSecret', ns).map(externalSecretTarget),
        ...context.ofKind('Secret', ns).map((s) => s.metadata.name),
      ]);
      const claims = new Set(context.ofKind('PersistentVolumeClaim', ns).map((c) => c.metadata.name));
      const out: RuleFinding[] = [];
      for (const s of refs.secrets) {
        if (secrets.has(s) || `${ns}/${s}` in externalSecrets) continue;
        out.push({ finding: `[secret:${s}]`, detail: `reads Secret "${s}", which nothing in namespace ${ns} declares${didYouMean(s, secrets)}` });
      }
      for (const c of refs.claims) {
        if (claims.has(c)) continue;
        out.push({ finding: `[claim:${c}]`, detail: `mounts PersistentVolumeClaim "${c}", which namespace ${ns} does not declare${didYouMean(c, claims)}` });
      }
      return out;
    },
  };
}
