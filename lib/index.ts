export { BLOCKING_STATUSES, ParityRow, ParityStatus, compareParity, parityExitCode } from './adopt/parity';
export { ManifestInputError, ReadManifestsOptions, SourcedObject, readManifests } from './adopt/read-manifests';
export { renderParityJson, renderParityMarkdown } from './adopt/report';
export {
  ANNOTATION_PREFIX,
  PSS_EXEMPTION_REASON,
  exemptionAnnotation,
  keyPurposeAnnotation,
  ruleDocAnnotation,
  decodeEntries,
  encodeEntries,
  severityAnnotation,
} from './annotations';
export { ChangedObject, DiffExitCode, ObjectDiff, diffExitCode, diffObjects } from './diff/diff-objects';
export { DiffFinding, Impact, Topic } from './diff/finding';
export { RenderDiffOptions, renderDiffMarkdown } from './diff/markdown';
export { AggregateBaselineError, BaselineError, Problem } from './errors';
export {
  AppOfApps,
  AppOfAppsProps,
  DEFAULT_PROJECT_NAMES,
  ClusterResourceGrant,
  HelmReleaseProps,
  ROOT_FOLDER,
  RENDERED_CHART_ANNOTATION,
  RENDERED_VALUES_ANNOTATION,
  folderApplicationName,
} from './gitops/app-of-apps';
export { GitOpsApplication, GitOpsApplicationProps, GitSource, HelmSource } from './gitops/application';
export {
  APPLICATION_HEALTH_LUA,
  ArgoCdSettings,
  ArgoCdValues,
  ExternalSecretsValues,
  TrivyMode,
  TrivyOperatorSettings,
  TrivyOperatorValues,
  AuthentikSettings,
  AuthentikValues,
  ContainerHardening,
  argoCdValues,
  authentikValues,
  externalSecretsValues,
  trivyOperatorValues,
} from './gitops/charts';
export { IHelmValues, helmValues } from './gitops/helm-values';
export { inventoryFile, renderInventory, writeInventory } from './gitops/inventory';
export { validateChartVersion, validateGitRevision, validateRepoUrl } from './gitops/pinning';
export { GitOpsProject, GitOpsProjectProps, GroupKind } from './gitops/project';
export {
  APPLICATION_SYNC_OPTIONS,
  ARGOCD_VERSION,
  ApplicationWave,
  PRUNE_PROTECTION,
  ResourceWave,
  SKIP_DRY_RUN_ON_MISSING_RESOURCE,
  SYNC_OPTIONS_ANNOTATION,
  SYNC_WAVE_ANNOTATION,
  isPruneProtected,
  resourceWave,
  syncAnnotations,
} from './gitops/sync';
export {
  DEFAULT_POD_SECURITY_VERSION,
  HardenedNamespace,
  HardenedNamespaceProps,
  KubernetesMinorVersion,
  PodSecurityLevel,
  PodSecurityProps,
  RESERVED_NAMESPACES,
} from './hardened-namespace';
export {
  Allowance,
  AllowanceOptions,
  BaselinePolicyNames,
  DefaultDenyPolicies,
  DefaultDenyPoliciesProps,
  Direction,
  NamespaceAllowance,
} from './network/default-deny-policies';
export { CidrPeer, Labels, NON_INTERNET_CIDRS, NON_INTERNET_IPV6_CIDRS, NamespacePeer, Peer, TAILNET_CIDR } from './network/peer';
export { Port, Protocol, ValidatePortOptions } from './network/port';
export {
  LabelSelector,
  POLICY_TYPES,
  PolicyType,
  StoredNetworkPolicy,
  StoredPeer,
  StoredPort,
  StoredRule,
  policyTypesOf,
  readNetworkPolicy,
} from './network/policy';
export {
  Endpoint,
  IpEndpoint,
  NetworkModel,
  NetworkModelOptions,
  PodEndpoint,
  SideVerdict,
  Verdict,
  workloadEndpoints,
} from './network/reachability';
export { AgentRbac, AgentRbacProps } from './rbac/agent-rbac';
export { UNREVIEWED, cellReason, isPlaceholderReason, parseMarkdownTable, reasonCell } from './review/review-file';
export {
  ANY_PORT,
  DEFAULT_OUTSIDE,
  NamedAddress,
  NamedEndpoint,
  TRUTH_TABLE_HEADING,
  TruthTableOptions,
  TruthTableRow,
  Triple,
  UNUSED_PORT,
  allowedTriples,
  governs,
  parseTruthTable,
  portsToCheck,
  reachabilityEndpoints,
  renderTruthTable,
  sortTriples,
  tripleKey,
  unreviewedRows,
} from './review/truth-table';
export { BuiltHomelab, HomelabProps, HomelabSecretStore, SecretScope, buildServices } from './service/homelab';
export {
  AllowanceSpec,
  ServiceApplication,
  ServiceClaim,
  ServiceContext,
  ServiceDeployment,
  ServiceNetwork,
  ServiceSecret,
  ServiceSecretKey,
  ServiceSpec,
} from './service/service-spec';
export {
  ApiGroup,
  AppsResource,
  ArgoResource,
  CoreResource,
  Exemptions,
  ExternalSecretsResource,
  Grant,
  GrantOptions,
  MetricsResource,
  NetworkingResource,
  READ_VERBS,
  RbacGuarantee,
  RbacResource,
  RbacScope,
  Resource,
  RuleGuarantee,
  Subresource,
  VERBS,
  Verb,
} from './rbac/grant';
export {
  GuaranteeViolation,
  PRIVILEGED_CLUSTER_ROLES,
  RBAC_GUARANTEES,
  checkAgentBindings,
  checkRbacGuarantees,
} from './rbac/guarantees';
export {
  AccessRequest,
  Binding,
  Permission,
  ServiceAccountRef,
  effectivePermissions,
  isAllowed,
  permissionCovers,
  permissionKey,
  permits,
} from './rbac/permission';
export {
  DeletionPolicy,
  ExternalSecretBinding,
  ExternalSecretBindingProps,
  SecretKeyMapping,
} from './secrets/external-secret-binding';
export {
  IClusterSecretStore,
  InfisicalClusterSecretStore,
  InfisicalClusterSecretStoreProps,
  UniversalAuthProps,
} from './secrets/infisical-cluster-secret-store';
export { forbidSecretValues } from './secrets/no-secret-values';
export { AcceptedRisk, RiskSource, RoadmapItem } from './report/risks';
export {
  PreparedSecurityReport,
  REPORT_SECTION_IDS,
  SecurityReportFileOptions,
  SecurityReportInput,
  prepareSecurityReport,
  renderSecurityReport,
} from './report/security-report';
export { REQUIRE_ALL_SECTIONS } from './report/template';
export {
  Finding,
  RejectedSuppression,
  Report,
  SuppressedFinding,
  annotateSuppressions,
  isClean,
  runRules,
  suppressionAnnotation,
} from './rules/engine';
export {
  CheckedManifests,
  EnforceRulesOptions,
  checkRules,
  describeFailures,
  enforceRules,
  summarizeReport,
  writeRuleReport,
} from './rules/enforce';
export { BaselineRulesOptions, baselineRules } from './rules/pack';
export { DEFAULT_DEPLOY_BRANCH } from './rules/pack/gitops-rules';
export { DANGEROUS_SYNC_OPTIONS, SYNC_OPTIONS, SyncOptionPlace, isKnownSyncOption } from './gitops/sync-options';
export { ExternalDeclarations } from './rules/pack/closure-rules';
export {
  APPARMOR_ANNOTATION_PREFIX,
  BASELINE_CAPABILITIES,
  POD_SECURITY_CONTROLS,
  POD_SECURITY_RULES,
  PodSecurityControl,
  PodSecurityStandard,
  RESTRICTED_VOLUME_TYPES,
  SAFE_SYSCTLS,
  SELINUX_TYPES,
  podSecurityControlsAt,
  podSecurityViolations,
} from './rules/pack/pod-security-rules';
export { Rule, RuleContext, RuleFinding, RuleLevel, isSuppressible } from './rules/rule';
export { Suppression, SuppressionProps, Suppressions } from './rules/suppressions';
export { KubeObject, Manifest, objectId } from './synth/manifest';
export { CLUSTER_FOLDER, assignFolder, collectManifests, toYaml, writeManifests } from './synth/synthesize';
export { replaceFile } from './synth/atomic-dir';
export { MAX_REASON_LENGTH, MIN_REASON_LENGTH, didYouMean, isValidReason, nearestName, reasonProblem } from './validate';
export { RISK_LEVELS, Risk, RiskLevel, riskText } from './risk-level';
export { ContainerImage, ImagePullPolicy } from './workloads/container-image';
export { isPinned } from './image-reference';
export {
  DirectoryConfigMap,
  DirectoryConfigMapProps,
  MAX_CONFIG_MAP_BYTES,
} from './workloads/directory-config-map';
export {
  DeploymentStrategy,
  HardenedDeployment,
  HardenedDeploymentProps,
  NAME_LABEL,
  selectorLabelsFor,
} from './workloads/hardened-deployment';
export { PodReferences, makesPods, podFromTemplate, podReferences } from './pod-template';
export { GrpcProbeOptions, HttpProbeOptions, Probe, ProbeTimings } from './workloads/probe';
export { CpuMemory, Resources, parseQuantity } from './workloads/resources';
export { IConfigMapEnvSource, ISecretEnvSource } from './workloads/secret-env';
export { EnvValue } from './workloads/env-value';
export { LiteralConfigMap, LiteralConfigMapProps } from './workloads/literal-config-map';
export {
  EnvFromSourceSpec,
  HardenedContainerProps,
  HardenedWorkload,
  HardenedWorkloadProps,
  InitContainerProps,
  WorkloadParts,
} from './workloads/hardened-workload';
export { HardenedStatefulSet, HardenedStatefulSetProps, VolumeClaimTemplate } from './workloads/hardened-stateful-set';
export {
  ConfigMapVolumeOptions,
  EmptyDirOptions,
  Exemption,
  HostPathOptions,
  PersistentVolumeClaimOptions,
  SecretVolumeOptions,
  Volume,
  VolumeKind,
  VolumeMount,
} from './workloads/volume';
export {
  IServiceBackend,
  ServicePortOptions,
  ServiceType,
  WorkloadService,
  WorkloadServiceOptions,
  WorkloadServiceProps,
} from './workloads/workload-service';
export { ChartSourceRequest, VerifiedChart, verifyChartSource } from './helm/chart-source';
export { ChartValues, ChartValuesProps, UncheckedValues } from './helm/chart-values';
export { DROPPED_FIELDS_ANNOTATION, dropUnknownCrdFields } from './helm/crd-fields';
export { pinnedGoTool } from './helm/go-tool';
export { HelmTool, RenderCheck, RenderRequest, RenderResult, canonicalJson, defaultRenderCacheDir, parseObjects, renderChart } from './helm/render';
export { renderReleases } from './helm/render-releases';
export { ChartRenderer, RenderedChart, RenderedChartProps, chartCrdFolder, chartFolder } from './helm/rendered-chart';
