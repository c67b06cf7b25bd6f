import { Chart } from 'cdk8s';
import { ExternalSecretBinding, InfisicalClusterSecretStore, SecretKeyMapping } from '../lib';
import { GATEWAY_NAMESPACE, GATEWAY_PROXIES } from './workloads';

/**
 * The in-cluster Infisical API. The infisical-standalone chart names its Service
 * `<release>-<chart>-<component>` = `infisical-infisical-standalone-infisical` for the release `infisical`
 * in namespace `infisical`, on port 8080 (the port the external-secrets → infisical NetworkPolicy opens).
 */
export const INFISICAL_HOST_API = 'http://infisical-infisical-standalone-infisical.infisical.svc.cluster.local:8080/api';

/** One ExternalSecret of the homelab: its namespace and the keys it fetches (remote key = secret key). */
interface SecretSpec {
  readonly name: string;
  readonly namespace: string;
  readonly keys: readonly string[];
}

/**
 * The security report's "ExternalSecret Inventory", plus the personal-gateway proxies' own secrets
 * ("Personal Task Gateway": each proxy pulls only its specific credentials), as declared in GATEWAY_PROXIES.
 */
export const SECRETS: readonly SecretSpec[] = [
  {
    name: 'openclaw-secret',
    namespace: 'openclaw',
    keys: [
      'OPENCLAW_GATEWAY_TOKEN', 'OPENROUTER_API_KEY', 'GEMINI_API_KEY', 'GITHUB_TOKEN', 'DISCORD_BOT_TOKEN',
      'DISCORD_WEBHOOK_DEUTSCH', 'DISCORD_WEBHOOK_ENGLISH', 'DISCORD_WEBHOOK_ALERTS', 'CURSOR_API_KEY',
    ],
  },
  {
    name: 'authentik-secret',
    namespace: 'authentik',
    keys: ['AUTHENTIK_SECRET_KEY', 'AUTHENTIK_BOOTSTRAP_PASSWORD', 'AUTHENTIK_BOOTSTRAP_TOKEN', 'AUTHENTIK_POSTGRES_PASSWORD'],
  },
  { name: 'grafana-secret', namespace: 'monitoring', keys: ['GRAFANA_ADMIN_PASSWORD', 'GRAFANA_OAUTH_CLIENT_SECRET'] },
  ...GATEWAY_PROXIES.map((p): SecretSpec => ({ name: p.secretName, namespace: GATEWAY_NAMESPACE, keys: p.secretKeys })),
];

/**
 * Builds the Infisical store (in the `external-secrets` chart) and one ExternalSecretBinding per inventory
 * row (in its namespace's chart), and returns the bindings by name for the workloads to consume. Rows whose
 * namespace is not built are skipped (as is the store, without any row), like the rest of a partial homelab.
 */
export function buildSecrets(
  charts: ReadonlyMap<string, Chart>,
  secrets: readonly SecretSpec[] = SECRETS,
): Record<string, ExternalSecretBinding> {
  const storeChart = charts.get('external-secrets');
  const built = secrets.filter((spec) => charts.has(spec.namespace));
  if (!storeChart || built.length === 0) return {};
  const store = new InfisicalClusterSecretStore(storeChart, 'InfisicalStore', {
    hostAPI: INFISICAL_HOST_API,
    projectSlug: 'homelab',
    environmentSlug: 'prod',
    // Widening the store to another namespace is a reviewed edit of this line.
    namespaces: ['authentik', 'monitoring', 'openclaw', 'personal-gateway'],
  });
  return Object.fromEntries(
    built.map((spec) => [
      spec.name,
      new ExternalSecretBinding(charts.get(spec.namespace)!, spec.name, {
        store,
        name: spec.name,
        namespace: spec.namespace,
        data: spec.keys.map((secretKey): SecretKeyMapping => ({ secretKey })),
      }),
    ]),
  );
}
