import { DEFAULT_POD_SECURITY_VERSION, KubernetesMinorVersion } from '../../hardened-namespace';
import { TAILNET_CIDR } from '../../network/peer';
import { Rule } from '../rule';
import { ExternalDeclarations, namespaceClosureRule, referenceClosureRule } from './closure-rules';
import { podSecurityLabels, podSecurityReason, podSecurityRestricted, podSecurityVersionRule } from './namespace-rules';
import { defaultDenyRule, dnsAllowanceRule, ingressSourceRule, internetEgressPorts, noIngressFromAnywhere } from './network-rules';
import { DEFAULT_DEPLOY_BRANCH, dangerousSyncOptionsRule, deployBranchRule, knownSyncOptionsRule, pruneProtectionRule } from './gitops-rules';
import { annotationSizeRule, noDefaultProject, noSecretData, noWildcardProject, pinnedRevisions, skipDryRunPerObject } from './object-rules';
import { POD_SECURITY_RULES } from './pod-security-rules';
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
   * The Kubernetes minor version the cluster runs: no Pod Security `-version` label may be older (HB-NS-006).
   * @default DEFAULT_POD_SECURITY_VERSION
   */
  readonly kubernetesVersion?: KubernetesMinorVersion;
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
    podSecurityVersionRule(options.kubernetesVersion ?? DEFAULT_POD_SECURITY_VERSION),
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
    ...POD_SECURITY_RULES,
    pinnedRevisions,
    noDefaultProject,
    noWildcardProject,
    deployBranchRule(options.deployBranch ?? DEFAULT_DEPLOY_BRANCH),
    knownSyncOptionsRule,
    dangerousSyncOptionsRule,
    pruneProtectionRule,
    skipDryRunPerObject,
    externalSecretScopeRule,
    storeConditionsRule,
  ];
}
