import { KubeObject } from '../synth/manifest';
import { Labels } from './peer';
import { Port } from './port';

/** The label the API server sets on every namespace (its name): how the library's policies name a namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The Kubernetes API server's port, as the API server egress allowance opens it. */
export const API_SERVER_PORT = Port.tcp(6443);

/** The policy types of a NetworkPolicy, with the API server's defaulting when `policyTypes` is absent. */
export function policyTypesOf(policy: KubeObject): ('Ingress' | 'Egress')[] {
  return policyTypesOfSpec(policy.spec as any);
}

/**
 * {@link policyTypesOf} for a NetworkPolicy's spec: Ingress always, Egress when egress rules exist. An empty
 * `egress: []` is no egress rule: the API server defaults such a policy to Ingress only (kube-router shows
 * its egress open, test/enforce/).
 */
export function policyTypesOfSpec(spec: { policyTypes?: readonly string[]; egress?: unknown } | undefined): ('Ingress' | 'Egress')[] {
  const hasEgressRules = Array.isArray(spec?.egress) && spec!.egress.length > 0;
  return (spec?.policyTypes as ('Ingress' | 'Egress')[] | undefined) ?? (hasEgressRules ? ['Ingress', 'Egress'] : ['Ingress']);
}

/** Label selector semantics: absent or empty selects everything; matchLabels and matchExpressions all hold. */
export function selects(selector: any, labels: Labels): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return byLabels && (selector.matchExpressions ?? []).every((e: any) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && e.values.includes(labels[e.key]);
      case 'NotIn': return !has || !e.values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: throw new Error(`unknown label selector operator ${JSON.stringify(e.operator)}`);
    }
  });
}
