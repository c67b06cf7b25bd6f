import { HomelabSecretStore } from '../lib';

/**
 * The in-cluster Infisical API. The infisical-standalone chart names its Service
 * `<release>-<chart>-<component>` = `infisical-infisical-standalone-infisical` for the release `infisical`
 * in namespace `infisical`, on port 8080 (the port the external-secrets → infisical NetworkPolicy opens).
 */
export const INFISICAL_HOST_API = 'http://infisical-infisical-standalone-infisical.infisical.svc.cluster.local:8080/api';

/**
 * The one ClusterSecretStore every service's `secrets` read from, in the external-secrets namespace. The
 * namespaces it serves are exactly those of the services that declare secrets (its `conditions`).
 */
export const SECRET_STORE: HomelabSecretStore = {
  namespace: 'external-secrets',
  hostAPI: INFISICAL_HOST_API,
  projectSlug: 'homelab',
  environmentSlug: 'prod',
};
