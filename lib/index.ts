export { ANNOTATION_PREFIX, PSS_EXEMPTION_REASON, exemptionAnnotation } from './annotations';
export { AggregateBaselineError, BaselineError, Problem } from './errors';
export {
  DEFAULT_POD_SECURITY_VERSION,
  HardenedNamespace,
  HardenedNamespaceProps,
  PodSecurityLevel,
  PodSecurityProps,
} from './hardened-namespace';
export {
  Allowance,
  AllowanceOptions,
  DefaultDenyPolicies,
  DefaultDenyPoliciesProps,
  Direction,
  NamespaceAllowance,
} from './network/default-deny-policies';
export { CidrPeer, Labels, NON_INTERNET_CIDRS, NamespacePeer, Peer, TAILNET_CIDR } from './network/peer';
export { Port, Protocol } from './network/port';
export { KubeObject, Manifest, objectId } from './synth/manifest';
export { CLUSTER_FOLDER, assignFolder, collectManifests, toYaml, writeManifests } from './synth/synthesize';
export { MIN_REASON_LENGTH } from './validate';
