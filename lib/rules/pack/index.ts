import { TAILNET_CIDR } from '../../network/peer';
import { Rule } from '../rule';
import { ExternalDeclarations, namespaceClosureRule, referenceClosureRule } from './closure-rules';
import { podSecurityLabels, podSecurityReason, podSecurityRestricted } from './namespace-rules';
import { defaultDenyRule, dnsAllowanceRule, ingressSourceRule, internetEgressPorts, noIngressFromAnywhere } from './network-rules';
import { DEFAULT_DEPLOY_BRANCH, dangerousSyncOptionsRule, deployBranchRule, knownSyncOptionsRule, pruneProtectionRule } from './gitops-rules';
import { annotationSizeRule, noDefaultProject, noSecretData, noWildcardProject, pinnedRevisions } from './object-rules';
import { RBAC_RULES } from './rbac-rules';
import { externalSecretScopeRule, storeConditionsRule } from './secret-rules';
import { externalIpsRule, nodePortRule, serviceTypeRule, sourceRangesRule } from './service-rules';
import { WORKLOAD_RULES } from './workload-rules';

/** Options of {@link baselineRules}. */
export interface BaselineRulesOptions {
  /**
   * The address ranges ingress from an ipBlock may come from (HB-NET-003).
   * @default [TAILNET_CIDR]
   */
  readonly allowedIngressCidrs?: readonly string[];
  /**
   * Namespaces that are not application namespaces: they need no default-deny or DNS allowance.
   * @default ['default', 'kube-node-lease', 'kube-public', 'kube-system']
   */
  readonly systemNamespaces?: readonly string[];
  /**
   * Namespaces that exist without this app building them (HB-NS-004), name → reason.
   * @default - none: every namespaced object must be in a Namespace the app builds
   */
  readonly externalNamespaces?: ExternalDeclarations;
  /**
   * Secrets that exist without an ExternalSecret of this app (HB-NS-005), `namespace/name` → reason.
   * @default - none
   */
  readonly externalSecrets?: ExternalDeclarations;
  /**
   * The one branch ArgoCD deploys from: every git source's targetRevision must be it, an exact tag or a full
   * commit (HB-ARGO-004).
   * @default DEFAULT_DEPLOY_BRANCH ('main')
   */
  readonly deployBranch?: string;
}

/** The baseline rule pack: every rule, each with a stable id. */
export function baselineRules(options: BaselineRulesOptions = {}): Rule[] {
  const system = options.systemNamespaces ?? ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
  return [
    podSecurityLabels,
    podSecurityRestricted,
    podSecurityReason,
    namespaceClosureRule(options.externalNamespaces ?? {}),
    referenceClosureRule(options.externalSecrets ?? {}),
    defaultDenyRule(system),
    dnsAllowanceRule(system),
    ingressSourceRule(options.allowedIngressCidrs ?? [TAILNET_CIDR]),
    noIngressFromAnywhere,
    internetEgressPorts,
    serviceTypeRule,
    externalIpsRule,
    nodePortRule,
    sourceRangesRule(options.allowedIngressCidrs ?? [TAILNET_CIDR]),
    ...RBAC_RULES,
    noSecretData,
    annotationSizeRule,
    ...WORKLOAD_RULES,
    pinnedRevisions,
    noDefaultProject,
    noWildcardProject,
    deployBranchRule(options.deployBranch ?? DEFAULT_DEPLOY_BRANCH),
    knownSyncOptionsRule,
    dangerousSyncOptionsRule,
    pruneProtectionRule,
    externalSecretScopeRule,
    storeConditionsRule,
  ];
}
