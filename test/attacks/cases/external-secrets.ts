import { AttackCase } from '../attack-case';
import { edit } from '../edits';

const CLASS = 'external-secrets';
const BINDING = 'lib/secrets/external-secret-binding.ts';
const STORE = 'lib/secrets/infisical-cluster-secret-store.ts';
const DATA_LINE = '        data: Lazy.any({ produce: () => this.data.map((d) => ({ secretKey: d.secretKey, remoteRef: remoteRef(d.remoteKey) })) }),\n';
/** Every ExternalSecret gets `dataFrom` (a TypeScript expression) beside its keys. */
const dataFrom = (expression: string) => [edit(BINDING, DATA_LINE, `${DATA_LINE}        dataFrom: ${expression},\n`)];
const CONDITIONS_LINE = 'conditions: Lazy.any({ produce: () => [{ namespaces: this.namespaces }] }),';
const CURSOR_KEY = "  { name: 'CURSOR_API_KEY', purpose: 'Cursor CLI authentication for headless code generation' },\n";
/** One more key of openclaw-secret, declared like the others. */
const openclawKey = (name: string) => `${CURSOR_KEY}  { name: '${name}', purpose: 'a key this attack adds to the namespace' },\n`;
const OPENCLAW_ES = 'dist/openclaw/externalsecret-openclaw-secret.yaml';
const STORE_YAML = 'dist/_cluster/clustersecretstore-infisical.yaml';
const CURSOR_ENTRY = `    - remoteRef:
        conversionStrategy: Default
        decodingStrategy: None
        key: CURSOR_API_KEY
        metadataPolicy: None
      secretKey: CURSOR_API_KEY
`;

export const CASES: AttackCase[] = [
  {
    id: 'eso-datafrom-extract',
    class: CLASS,
    description: 'every ExternalSecret also extracts the whole store path (dataFrom.extract)',
    edits: dataFrom("[{ extract: { key: '/' } }]"),
    stoppedBy: 'synth',
  },
  {
    id: 'eso-datafrom-find',
    class: CLASS,
    description: 'every ExternalSecret also finds every key matching .* (dataFrom.find)',
    edits: dataFrom("[{ find: { name: { regexp: '.*' } } }]"),
    stoppedBy: 'synth',
  },
  {
    id: 'eso-cross-namespace-key',
    class: CLASS,
    description: "openclaw's ExternalSecret names monitoring's key GRAFANA_ADMIN_PASSWORD",
    edits: [edit('homelab/openclaw.ts', CURSOR_KEY, openclawKey('GRAFANA_ADMIN_PASSWORD'))],
    stoppedBy: 'synth',
  },
  {
    id: 'eso-cross-namespace-key-grafana',
    class: CLASS,
    description: "monitoring's grafana-secret names authentik's AUTHENTIK_SECRET_KEY",
    edits: [edit('homelab/services.ts', "        { name: 'GRAFANA_ADMIN_PASSWORD', purpose: 'Grafana local admin login' },\n", "        { name: 'GRAFANA_ADMIN_PASSWORD', purpose: 'Grafana local admin login' },\n        { name: 'AUTHENTIK_SECRET_KEY', purpose: 'a key this attack adds to the namespace' },\n")],
    stoppedBy: 'synth',
  },
  {
    id: 'eso-raw-external-secret-unserved-namespace',
    class: CLASS,
    description: 'a raw ExternalSecret in launchfast reading the ClusterSecretStore, which does not serve launchfast',
    edits: [
      edit('homelab/services.ts', "import { ContainerImage,", "import { ApiObject } from 'cdk8s';\nimport { ContainerImage,"),
      edit('homelab/services.ts', "    namespace: 'launchfast',\n", `    namespace: 'launchfast',\n    build: ({ chart }) => { new ApiObject(chart, 'Attack', ${JSON.stringify({
        apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'loot', namespace: 'launchfast' },
        spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'infisical' }, target: { name: 'loot' }, data: [{ secretKey: 'LOOT', remoteRef: { key: 'LAUNCHFAST_TOKEN' } }] },
      })}); },\n`),
    ],
    stoppedBy: 'synth',
  },
  {
    id: 'eso-store-no-conditions',
    class: CLASS,
    description: 'the ClusterSecretStore loses its conditions (every namespace may read it)',
    edits: [edit(STORE, CONDITIONS_LINE, '')],
    stoppedBy: 'synth',
  },
  {
    id: 'eso-store-condition-regex',
    class: CLASS,
    description: 'the ClusterSecretStore admits namespaces by regex .*',
    edits: [edit(STORE, CONDITIONS_LINE, "conditions: [{ namespaceRegexes: ['.*'] }],")],
    stoppedBy: 'synth',
  },
  {
    id: 'eso-key-removed',
    class: CLASS,
    description: 'CURSOR_API_KEY removed from openclaw-secret (released for another namespace to name)',
    edits: [edit('homelab/openclaw.ts', CURSOR_KEY, '')],
    stoppedBy: 'diff',
  },
  {
    id: 'eso-key-added',
    class: CLASS,
    description: 'a new store key reaches openclaw',
    edits: [edit('homelab/openclaw.ts', CURSOR_KEY, openclawKey('ANTHROPIC_API_KEY'))],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-es-key-added',
    class: CLASS,
    description: "dist/ edit: openclaw-secret fetches authentik's AUTHENTIK_SECRET_KEY",
    edits: [edit(OPENCLAW_ES, CURSOR_ENTRY, CURSOR_ENTRY.replace(/CURSOR_API_KEY/g, 'AUTHENTIK_SECRET_KEY') + CURSOR_ENTRY)],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-es-key-removed',
    class: CLASS,
    description: 'dist/ edit: CURSOR_API_KEY removed from openclaw-secret',
    edits: [edit(OPENCLAW_ES, CURSOR_ENTRY, '')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-es-datafrom',
    class: CLASS,
    description: 'dist/ edit: openclaw-secret extracts the whole store path',
    edits: [edit(OPENCLAW_ES, '  refreshInterval: 1h\n', '  dataFrom:\n    - extract:\n        key: /\n  refreshInterval: 1h\n')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-es-other-store',
    class: CLASS,
    description: 'dist/ edit: openclaw-secret reads another ClusterSecretStore',
    edits: [edit(OPENCLAW_ES, '    name: infisical\n', '    name: infisical-admin\n')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-store-conditions-widened',
    class: CLASS,
    description: 'dist/ edit: the ClusterSecretStore also serves launchfast',
    edits: [edit(STORE_YAML, '        - authentik\n', '        - authentik\n        - launchfast\n')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-store-recursive',
    class: CLASS,
    description: 'dist/ edit: the ClusterSecretStore reads its path recursively',
    edits: [edit(STORE_YAML, 'recursive: false', 'recursive: true')],
    stoppedBy: 'diff',
  },
];
