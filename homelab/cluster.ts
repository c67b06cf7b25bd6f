import { KubernetesMinorVersion } from '../lib';

/**
 * The Kubernetes minor version the homelab's cluster runs. No namespace may pin its Pod Security labels to an
 * older version (rule HB-NS-006): raise this with the cluster upgrade, then the labels.
 */
export const KUBERNETES_VERSION: KubernetesMinorVersion = 'v1.28';
