import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { buildHomelab } from '../../homelab';
import { NAMESPACES } from '../../homelab/namespaces';
import { SECRETS, buildSecrets } from '../../homelab/secrets';
import { toYaml } from '../../lib';
import { all, find, synthManifests } from '../util';

const manifests = synthManifests((app) => buildHomelab(app));

/** Bare charts for `namespaces`, as buildHomelab hands them to buildSecrets. */
function chartsFor(namespaces: string[]): Map<string, Chart> {
  const app = new App();
  return new Map(namespaces.map((ns) => [ns, new Chart(app, ns)]));
}
const objects = manifests.map((m) => m.object);

/**
 * Written from the security report, not from the code: "ExternalSecret Inventory" (openclaw, authentik,
 * grafana) and "Personal Task Gateway" (each proxy only its own credentials; key names are ours).
 */
const EXPECTED: Record<string, { namespace: string; keys: string[] }> = {
  'openclaw-secret': {
    namespace: 'openclaw',
    keys: [
      'OPENCLAW_GATEWAY_TOKEN', 'OPENROUTER_API_KEY', 'GEMINI_API_KEY', 'GITHUB_TOKEN', 'DISCORD_BOT_TOKEN',
      'DISCORD_WEBHOOK_DEUTSCH', 'DISCORD_WEBHOOK_ENGLISH', 'DISCORD_WEBHOOK_ALERTS', 'CURSOR_API_KEY',
    ],
  },
  'authentik-secret': {
    namespace: 'authentik',
    keys: ['AUTHENTIK_SECRET_KEY', 'AUTHENTIK_BOOTSTRAP_PASSWORD', 'AUTHENTIK_BOOTSTRAP_TOKEN', 'AUTHENTIK_POSTGRES_PASSWORD'],
  },
  'grafana-secret': { namespace: 'monitoring', keys: ['GRAFANA_ADMIN_PASSWORD', 'GRAFANA_OAUTH_CLIENT_SECRET'] },
  'messaging-proxy-secret': { namespace: 'personal-gateway', keys: ['MESSAGING_HOST_DAEMON_TOKEN'] },
  'voice-proxy-secret': { namespace: 'personal-gateway', keys: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] },
  'finance-proxy-secret': { namespace: 'personal-gateway', keys: ['PLAID_CLIENT_ID', 'PLAID_SECRET', 'PLAID_ACCESS_TOKEN'] },
};

test('snapshot: the store and every ExternalSecret as ArgoCD applies them', () => {
  const secrets = manifests.filter((m) => ['ClusterSecretStore', 'ExternalSecret'].includes(m.object.kind));
  expect(Object.fromEntries(secrets.map((m) => [`${m.folder}/${m.file}`, toYaml(m.object)]))).toMatchSnapshot();
});

test('one ClusterSecretStore "infisical": in-cluster Infisical, Universal Auth, homelab/prod at /', () => {
  expect(all(objects, 'ClusterSecretStore').map((s) => s.metadata.name)).toEqual(['infisical']);
  const infisical = find(objects, 'ClusterSecretStore', 'infisical').spec.provider.infisical;
  expect(infisical.hostAPI).toBe('http://infisical-infisical-standalone-infisical.infisical.svc.cluster.local:8080/api');
  expect(infisical.auth.universalAuthCredentials).toEqual({
    clientId: { name: 'infisical-machine-identity', namespace: 'external-secrets', key: 'clientId' },
    clientSecret: { name: 'infisical-machine-identity', namespace: 'external-secrets', key: 'clientSecret' },
  });
  expect(infisical.secretsScope).toEqual({ projectSlug: 'homelab', environmentSlug: 'prod', secretsPath: '/', recursive: false, expandSecretReferences: true });
});

test('only the namespaces with an ExternalSecret may use the store', () => {
  expect(find(objects, 'ClusterSecretStore', 'infisical').spec.conditions).toEqual([
    { namespaces: ['authentik', 'monitoring', 'openclaw', 'personal-gateway'] },
  ]);
});

test('exactly the inventory: every ExternalSecret, in its namespace, with exactly its keys', () => {
  const actual = Object.fromEntries(
    all(objects, 'ExternalSecret').map((es) => [
      es.metadata.name,
      { namespace: es.metadata.namespace, keys: es.spec.data.map((d: { secretKey: string }) => d.secretKey) },
    ]),
  );
  expect(actual).toEqual(EXPECTED);
});

test.each(Object.keys(EXPECTED))('%s: v1, store ClusterSecretStore/infisical, 1h, Owner, Retain, remote key = secret key', (name) => {
  const es = find(objects, 'ExternalSecret', name, EXPECTED[name].namespace);
  expect(es.apiVersion).toBe('external-secrets.io/v1');
  expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'infisical' });
  expect(es.spec.refreshInterval).toBe('1h');
  expect(es.spec.target).toEqual({ name, creationPolicy: 'Owner', deletionPolicy: 'Retain' });
  for (const d of es.spec.data) expect(d.remoteRef.key).toBe(d.secretKey);
  expect(es.spec.dataFrom).toBeUndefined();
});

test('buildSecrets returns the bindings by name with their Secret and keys, for the workloads', () => {
  const bindings = buildSecrets(chartsFor(NAMESPACES.map((n) => n.name)));
  expect(Object.keys(bindings).sort()).toEqual(Object.keys(EXPECTED).sort());
  for (const [name, binding] of Object.entries(bindings)) {
    expect({ secretName: binding.secretName, namespace: binding.namespace, keys: binding.keys }).toEqual({
      secretName: name,
      namespace: EXPECTED[name].namespace,
      keys: EXPECTED[name].keys,
    });
  }
});

test('every inventory namespace is a homelab namespace (a typo would silently skip a secret)', () => {
  const namespaces = NAMESPACES.map((n) => n.name);
  for (const s of SECRETS) expect(namespaces).toContain(s.namespace);
});

test('a partial homelab skips the rows whose namespace is not built, and the store without any row', () => {
  expect(Object.keys(buildSecrets(chartsFor(['external-secrets', 'monitoring'])))).toEqual(['grafana-secret']);
  expect(buildSecrets(chartsFor(['openclaw', 'monitoring']))).toEqual({});
  expect(buildSecrets(chartsFor(['external-secrets', 'argocd']))).toEqual({});
});

test('no Secret with values, neither synthesized nor in dist/', () => {
  const hasValues = (o: any) => o?.kind === 'Secret' && (o.data !== undefined || o.stringData !== undefined);
  expect(objects.filter(hasValues)).toEqual([]);
  const dist = path.resolve(__dirname, '..', '..', 'dist');
  const files = (fs.readdirSync(dist, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f));
  expect(files.length).toBeGreaterThan(0);
  const leaks = files.filter((f) =>
    parseAllDocuments(fs.readFileSync(path.join(dist, f), 'utf8')).some((d) => hasValues(d.toJSON())),
  );
  expect(leaks).toEqual([]);
});
