/**
 * Drift audit: compares the tables generated into docs/security.md with the tables of the hand-maintained
 * seed report (`<shared>/seed/security-report.md`, a copy-paste of a web page: tables are whitespace-separated
 * text under known header lines) and lists every difference with a stable id. Human verdicts (who is right,
 * code or seed, and why) live in docs/drift-verdicts.json; a difference without a verdict, or a verdict for a
 * difference that no longer exists, fails. Writes docs/drift-audit.md.
 *
 *   npm run report:drift            # writes docs/drift-audit.md, exit 1 on unreviewed or stale verdicts
 */
import * as fs from 'fs';
import { replaceFile } from '../lib/synth/atomic-dir';
import * as path from 'path';
import { homelabReportInput } from '../homelab/synthesis';
import { SecurityReportInput } from '../lib';
import { RBAC_GUARANTEES } from '../lib/rbac/guarantees';
import { AccessRequest, Permission, effectivePermissions, isAllowed, permissionKey } from '../lib/rbac/permission';
import { containerSecurityRows, hostVolumeRows } from '../lib/report/containers';
import { exposureSummary, servicePortRows } from '../lib/report/exposure';
import { externalSecretRows, secretAccessRows } from '../lib/report/external-secrets';
import { compare, sortBy, table } from '../lib/report/markdown';
import { namespacePolicySummaries, ruleInWords } from '../lib/report/network-policies';
import { auditWarnText, isFullyRestricted, podSecurityRows } from '../lib/report/pod-security';
import { imageRows, sourceRows } from '../lib/report/provenance';
import { guaranteeStatuses, identityRows } from '../lib/report/rbac';
import { ReportContext, reportContext } from '../lib/report/security-report';
import { sharedDir } from './shared-inputs';

/** One difference between a seed table and its generated counterpart. */
export interface Drift {
  /** Stable: `<table>/<row>/<field>`, slugged. Verdicts are keyed by it. */
  readonly id: string;
  readonly table: string;
  readonly row: string;
  readonly field: string;
  /** '—' when the seed has no such row or value. */
  readonly seed: string;
  /** '—' when the code generates no such row or value. */
  readonly generated: string;
}

/** A human verdict on one difference. */
export interface Verdict {
  /** `code`: the generated table is right; `seed`: the seed is right (the code or its scope lacks it); `both`: same fact, different words. */
  readonly right: 'code' | 'seed' | 'both';
  readonly why: string;
}

/** What the generated tables are compared from: the report's model over the homelab's objects. */
export interface Generated {
  /** The report's context (object index, flow analysis, risks), as the report itself builds it. */
  readonly ctx: ReportContext;
  /** The effective permissions of the openclaw ServiceAccount, computed once. */
  readonly openclawPermissions: readonly Permission[];
}

/** Where a seed table's content lives in the new report. */
export interface Counterpart {
  /** The generated sections (marker ids) that hold the table's facts. */
  readonly sections?: readonly string[];
  /** The template heading whose human prose or table carries it (facts not visible in Kubernetes objects). */
  readonly narrative?: string;
}

/** One table of the seed: where it is, what replaces it, and how to compare it. */
export interface SeedTableSpec {
  /** Stable id, the first part of every drift id of this table. */
  readonly id: string;
  /** The seed heading above the table (for people reading the audit). */
  readonly heading: string;
  /** The table's header line in the seed, verbatim. */
  readonly header: string;
  /** Which occurrence of `header` (1-based). @default 1 */
  readonly occurrence?: number;
  readonly counterpart: Counterpart;
  /** Compares the rows (the lines under the header up to the next blank line). @default - not compared: narrative */
  compare?(rows: readonly string[], g: Generated): Drift[];
}

const NONE = '—';
const LEVELS = ['privileged', 'baseline', 'restricted'];
const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9*]+/g, '-').replace(/^-|-$/g, '');
}

function drift(tableId: string, row: string, field: string, seed: string | undefined, generated: string | undefined): Drift {
  return { id: `${tableId}/${slug(row)}/${slug(field)}`, table: tableId, row, field, seed: seed || NONE, generated: generated || NONE };
}

/** Compares two keyed maps of values: one drift per key present on one side only, or with different values. */
function compareKeyed(tableId: string, field: string, seed: Map<string, string>, generated: Map<string, string>): Drift[] {
  const out: Drift[] = [];
  for (const key of [...new Set([...seed.keys(), ...generated.keys()])].sort(compare)) {
    const s = seed.get(key);
    const g = generated.get(key);
    if (s !== g) out.push(drift(tableId, key, s === undefined || g === undefined ? 'row' : field, s, g));
  }
  return out;
}

/** `a, b, c` lists of a row: consumes tokens while they end with a comma. */
function takeList(tokens: string[]): string[] {
  const out: string[] = [];
  while (tokens.length) {
    const t = tokens.shift()!;
    out.push(t.replace(/,$/, ''));
    if (!t.endsWith(',')) break;
  }
  return out;
}

// --- RBAC ------------------------------------------------------------------------------------------------

const OPENCLAW = { namespace: 'openclaw', name: 'openclaw' };
const SEED_RESOURCE_NAMES: Record<string, string> = { PVCs: 'persistentvolumeclaims', PVs: 'persistentvolumes' };
const APPS_RESOURCES = ['deployments', 'statefulsets', 'daemonsets', 'replicasets'];

/** The seed's Role/ClusterRole rows as atoms `verb group/resource` (groups defaulted as kubectl would). */
function seedPermissionAtoms(rows: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const row of rows) {
    const tokens = row.split(/\s+/);
    const resources = takeList(tokens).map((r) => SEED_RESOURCE_NAMES[r] ?? r);
    const group = /^\((.+)\)$/.exec(tokens[0] ?? '')?.[1];
    if (group) tokens.shift();
    const verbs = takeList(tokens);
    for (const r of resources) {
      const g = group ?? (APPS_RESOURCES.includes(r.split('/')[0]) ? 'apps' : 'core');
      for (const v of verbs) out.add(`${v} ${g}/${r}`);
    }
  }
  return out;
}

function generatedPermissionAtoms(g: Generated, scope: 'namespace' | 'cluster'): Set<string> {
  return new Set(
    g.openclawPermissions
      .filter((p) => p.scope === scope)
      .map((p) => `${p.verb} ${p.apiGroup || 'core'}/${p.resource}${p.resourceName ? ` "${p.resourceName}"` : ''}`),
  );
}

function compareSets(tableId: string, row: string, seed: Set<string>, generated: Set<string>): Drift[] {
  return [...new Set([...seed, ...generated])]
    .sort(compare)
    .filter((a) => seed.has(a) !== generated.has(a))
    .map((a) => drift(tableId, row, a, seed.has(a) ? 'granted' : undefined, generated.has(a) ? 'granted' : undefined));
}

/** The seed's "does NOT grant" rows as access checks, and the guarantee that covers each. */
const NOT_GRANTED: Record<string, { guarantees: string[]; requests: AccessRequest[] }> = {
  'Create deployments, services, namespaces, configmaps': {
    guarantees: ['no-create'],
    requests: [
      { verb: 'create', group: 'apps', resource: 'deployments', namespace: 'argocd' },
      { verb: 'create', group: '', resource: 'services', namespace: 'argocd' },
      { verb: 'create', group: '', resource: 'namespaces' },
      { verb: 'create', group: '', resource: 'configmaps', namespace: 'argocd' },
    ],
  },
  'Delete deployments, services, statefulsets, namespaces': {
    guarantees: ['no-delete'],
    requests: [
      { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'argocd', name: 'x' },
      { verb: 'delete', group: '', resource: 'services', namespace: 'argocd', name: 'x' },
      { verb: 'delete', group: 'apps', resource: 'statefulsets', namespace: 'argocd', name: 'x' },
      { verb: 'delete', group: '', resource: 'namespaces', name: 'argocd' },
    ],
  },
  'Read secrets outside openclaw namespace': {
    guarantees: ['no-foreign-secrets'],
    requests: ['argocd', 'monitoring', 'authentik', 'infisical'].flatMap((namespace) =>
      ['get', 'list', 'watch'].map((verb) => ({ verb, group: '', resource: 'secrets', namespace }))),
  },
  'Modify ClusterRoles, ClusterRoleBindings, NetworkPolicies': {
    guarantees: ['no-security-writes'],
    requests: ['create', 'update', 'patch', 'delete'].flatMap((verb) => [
      { verb, group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'x' },
      { verb, group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', name: 'x' },
      { verb, group: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'openclaw', name: 'x' },
    ]),
  },
  'Create/delete ArgoCD Applications or AppProjects': {
    guarantees: ['no-create', 'no-delete', 'no-security-writes'],
    requests: ['create', 'delete'].flatMap((verb) => [
      { verb, group: 'argoproj.io', resource: 'applications', namespace: 'argocd', name: 'x' },
      { verb, group: 'argoproj.io', resource: 'appprojects', namespace: 'argocd', name: 'x' },
    ]),
  },
  'Exec into pods in other namespaces': {
    guarantees: ['no-foreign-exec'],
    requests: ['argocd', 'monitoring', 'personal-gateway'].map((namespace) => ({
      verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace, name: 'x',
    })),
  },
};

function compareNotGranted(rows: readonly string[], g: Generated): Drift[] {
  const out: Drift[] = [];
  const permissions = g.openclawPermissions;
  const statuses = guaranteeStatuses(g.ctx.index).filter((s) => s.serviceAccount === 'openclaw/openclaw');
  for (const row of rows) {
    const capability = Object.keys(NOT_GRANTED).find((c) => row.startsWith(c));
    if (!capability) {
      out.push(drift('not-granted', row, 'mapping', row, 'no access checks for this row: add it to NOT_GRANTED in scripts/report-drift.ts'));
      continue;
    }
    const spec = NOT_GRANTED[capability];
    for (const r of spec.requests.filter((req) => isAllowed(permissions, req))) {
      const by = permissions.filter((p) => isAllowed([p], r)).map(permissionKey).join('; ');
      out.push(drift('not-granted', capability, `${r.verb} ${r.group || 'core'}/${r.resource}${r.subresource ? `/${r.subresource}` : ''}`, 'not granted', `granted by ${by}`));
    }
    for (const id of spec.guarantees) {
      const status = statuses.find((s) => s.guarantee === id);
      if (!(id in RBAC_GUARANTEES)) out.push(drift('not-granted', capability, `guarantee ${id}`, 'guaranteed', 'no such guarantee in lib/rbac'));
      else if (status?.status !== 'holds') out.push(drift('not-granted', capability, `guarantee ${id}`, 'guaranteed', status ? `${status.status}: ${status.detail}` : 'openclaw/openclaw has no RBAC'));
    }
  }
  return out;
}

// --- Network ----------------------------------------------------------------------------------------------

const FOUNDATIONAL = ['deny-all', 'allow-same-ns', 'allow-dns'];

/** `Tailscale ingress (:9000, :9443)` → atoms `ingress from tailnet :9000`, ...; wording differences vanish. */
export function ruleAtoms(phrase: string): string[] {
  const m = /^(.*?)\s*\(([^)]*)\)$/.exec(phrase.trim());
  if (!m) return [`unparsed: ${phrase.trim()}`];
  const name = m[1].trim().toLowerCase();
  let what: string;
  if (name === 'tailscale ingress') what = 'ingress from tailnet';
  else if (name === 'api server egress') what = 'egress to api-server';
  else if (name === 'internet egress') what = 'egress to internet';
  else if (/^ingress from /.test(name)) what = `ingress from ${name.replace(/^ingress from (namespace )?/, '')}`;
  else if (/^egress to /.test(name)) what = `egress to ${name.replace(/^egress to (namespace )?/, '')}`;
  else if (/ egress$/.test(name)) what = `egress to ${name.replace(/ egress$/, '')}`;
  else what = name;
  return m[2].split(',').map((p) => `${what} ${p.trim()}`);
}

function comparePolicies(rows: readonly string[], g: Generated): Drift[] {
  const seedFoundational = new Map<string, string>();
  const seedRules = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const tokens = row.split(/\s+/);
    const ns = tokens.shift()!;
    const foundational: string[] = [];
    while (tokens.length && FOUNDATIONAL.includes(tokens[0].replace(/,$/, ''))) foundational.push(tokens.shift()!.replace(/,$/, ''));
    seedFoundational.set(ns, foundational.join(', '));
    const phrases = tokens.join(' ').match(/[^,(]+\([^)]*\)/g) ?? [];
    seedRules.set(ns, new Map(phrases.flatMap((p) => ruleAtoms(p).map((a) => [a, p.trim()] as [string, string]))));
  }
  const summaries = namespacePolicySummaries(g.ctx.index);
  const genFoundational = new Map(summaries.map((s) => [s.namespace, s.foundational.join(', ')]));
  const out = compareKeyed('network-policies', 'foundational', seedFoundational, genFoundational);
  for (const s of summaries) {
    if (!seedRules.has(s.namespace)) continue; // the whole row is already a difference
    const seed = seedRules.get(s.namespace)!;
    const generated = new Map(s.specificRules.flatMap((r) => ruleAtoms(ruleInWords(r)).map((a) => [a, ruleInWords(r)] as [string, string])));
    for (const atom of [...new Set([...seed.keys(), ...generated.keys()])].sort(compare)) {
      if (seed.has(atom) !== generated.has(atom)) out.push(drift('network-policies', s.namespace, atom, seed.get(atom), generated.get(atom)));
    }
  }
  return out;
}

// --- Secrets ----------------------------------------------------------------------------------------------

function openclawKeys(g: Generated): string[] {
  return secretAccessRows(g.ctx.index)
    .filter((r) => r.namespace === 'openclaw' && r.workload === 'deployment/openclaw')
    .flatMap((r) => r.keys);
}

function compareSecretsAccessible(rows: readonly string[], g: Generated): Drift[] {
  const seed = new Map(rows.map((r) => [r.split(/\s+/)[0], 'accessible']));
  const generated = new Map(openclawKeys(g).map((k) => [k, 'accessible']));
  return compareKeyed('secrets-accessible', 'key', seed, generated);
}

function compareInventory(rows: readonly string[], g: Generated): Drift[] {
  const out: Drift[] = [];
  const seed = new Map(rows.map((r) => {
    const [name, namespace, ...rest] = r.split(/\s+/);
    return [name, { namespace, keys: rest.join(' ').split(/,\s*/).filter(Boolean) }];
  }));
  const generated = new Map(externalSecretRows(g.ctx.index).map((r) => [r.name, { namespace: r.namespace, keys: r.keys.map((k) => k.split(' ← ')[0]) }]));
  for (const name of [...new Set([...seed.keys(), ...generated.keys()])].sort(compare)) {
    const s = seed.get(name);
    const gen = generated.get(name);
    if (!s || !gen) {
      out.push(drift('es-inventory', name, 'row', s && `${s.namespace}: ${s.keys.join(', ')}`, gen && `${gen.namespace}: ${gen.keys.join(', ')}`));
      continue;
    }
    if (s.namespace !== gen.namespace) out.push(drift('es-inventory', name, 'namespace', s.namespace, gen.namespace));
    for (const key of [...new Set([...s.keys, ...gen.keys])].sort(compare)) {
      if (s.keys.includes(key) !== gen.keys.includes(key)) out.push(drift('es-inventory', name, key, s.keys.includes(key) ? 'listed' : undefined, gen.keys.includes(key) ? 'listed' : undefined));
    }
  }
  return out;
}

/** Counts the seed states in prose about OpenClaw's secrets, each checked against the generated keys. */
const COUNT_CLAIMS: readonly RegExp[] = [
  /\b(\w+) secrets are injected as environment variables into the OpenClaw container/g,
  /\bAll (\w+) secrets are also readable via kubectl get secret openclaw-secret/g,
  /\bOnly openclaw-secret is injected \((\d+) keys\)/g,
  /^openclaw-secret \((\d+) keys\) Read via env vars/gm,
];

function countClaims(seedText: string, g: Generated): Drift[] {
  const actual = openclawKeys(g).length;
  const out: Drift[] = [];
  for (const re of COUNT_CLAIMS) {
    for (const m of seedText.matchAll(re)) {
      const word = m[1].toLowerCase();
      const claimed = /^\d+$/.test(word) ? Number(word) : NUMBER_WORDS.indexOf(word);
      if (claimed !== actual) out.push(drift('prose-claims', m[0], 'count of openclaw secret keys', String(claimed), String(actual)));
    }
  }
  return out;
}

// --- Workloads ----------------------------------------------------------------------------------------------

/** The seed's service names for workloads the code defines (`namespace/workload`). */
const SEED_WORKLOADS: Record<string, string> = { OpenClaw: 'openclaw/deployment/openclaw' };

function workloadKey(r: { namespace: string; workload: string }): string {
  return `${r.namespace}/${r.workload}`;
}

function boolText(v: string): string {
  const t = v.toLowerCase();
  return t === 'no' ? 'false' : t === 'yes' ? 'true' : t;
}

function compareContainerSecurity(rows: readonly string[], g: Generated): Drift[] {
  const out: Drift[] = [];
  const generated = containerSecurityRows(g.ctx.index).filter((r) => !r.container.startsWith('init: '));
  const seen = new Set<string>();
  for (const row of rows) {
    const [service, user, nonRoot, readOnly] = row.split(/\s+/);
    const key = SEED_WORKLOADS[service];
    const gen = generated.find((r) => workloadKey(r) === key);
    if (!gen) {
      out.push(drift('container-security', service, 'row', `${user} ${nonRoot} ${readOnly}`, undefined));
      continue;
    }
    seen.add(key);
    const uid = gen.user.split(':')[0];
    if (user !== uid) out.push(drift('container-security', service, 'runAsUser', user, uid));
    if (boolText(nonRoot) !== gen.runAsNonRoot) out.push(drift('container-security', service, 'runAsNonRoot', nonRoot, gen.runAsNonRoot));
    if (boolText(readOnly) !== gen.readOnlyRootFilesystem) out.push(drift('container-security', service, 'readOnlyRootFilesystem', readOnly, gen.readOnlyRootFilesystem));
  }
  for (const r of generated.filter((x) => !seen.has(workloadKey(x)))) {
    out.push(drift('container-security', workloadKey(r), 'row', undefined, `${r.user} nonRoot=${r.runAsNonRoot} readOnlyRoot=${r.readOnlyRootFilesystem}`));
  }
  return out;
}

/** The seed's "Container Security Context" controls of OpenClaw, and the generated field each names. */
const CONTEXT_CONTROLS: readonly [string, (r: ReturnType<typeof containerSecurityRows>[number]) => string][] = [
  ['Non-root execution', (r) => `UID ${r.user.split(':')[0]}`],
  ['runAsNonRoot', (r) => r.runAsNonRoot],
  ['allowPrivilegeEscalation', (r) => r.allowPrivilegeEscalation],
  ['capabilities.drop: [ALL]', (r) => r.capabilities],
  ['readOnlyRootFilesystem', (r) => r.readOnlyRootFilesystem],
  ['seccompProfile', (r) => r.seccomp],
];

function compareContainerContext(rows: readonly string[], g: Generated): Drift[] {
  const gen = containerSecurityRows(g.ctx.index).find((r) => workloadKey(r) === SEED_WORKLOADS.OpenClaw && !r.container.startsWith('init: '));
  const out: Drift[] = [];
  for (const row of rows) {
    const control = CONTEXT_CONTROLS.find(([c]) => row.startsWith(`${c} `));
    if (!control) {
      out.push(drift('container-context', row, 'mapping', row, 'no generated field for this control: add it to CONTEXT_CONTROLS'));
      continue;
    }
    const seedValue = row.slice(control[0].length + 1);
    const genValue = gen ? control[1](gen) : undefined;
    const norm = (v: string) => (/^(not set|unset)/i.test(v) ? 'unset' : v.replace(/^Enforced \((.*)\)$/, '$1').toLowerCase());
    if (!genValue || norm(seedValue) !== norm(genValue)) out.push(drift('container-context', control[0], 'value', seedValue, genValue));
  }
  return out;
}

function compareHostVolumes(rows: readonly string[], g: Generated): Drift[] {
  const seed = new Map(rows.map((r) => {
    const [volume, hostPath, mountPath, ...mode] = r.split(/\s+/);
    return [volume, `${hostPath} → ${mountPath} (${mode.join(' ').toLowerCase()})`];
  }));
  const generated = new Map(hostVolumeRows(g.ctx.index).map((r) => [r.volume, `${r.hostPath} → ${r.mounts.map((m) => m.split(':').slice(1).join(':')).join(', ')} (${r.mode})`]));
  return compareKeyed('host-volumes', 'volume', seed, generated);
}

function compareExposure(rows: readonly string[], g: Generated): Drift[] {
  const service = servicePortRows(g.ctx.index, g.ctx.flows).find((r) => r.namespace === 'openclaw');
  const generated = new Map<string, string>();
  if (service) {
    generated.set('Container', service.targetPort.split(' ')[0]);
    if (service.nodePort !== undefined) generated.set('NodePort', String(service.nodePort));
  }
  const seed = new Map<string, string>();
  for (const row of rows) {
    const m = /^(.*?) (\d+) /.exec(row);
    if (m) seed.set(m[1], m[2]);
  }
  return compareKeyed('network-exposure', 'port', seed, generated);
}

// --- Provenance and GitOps ----------------------------------------------------------------------------------

/** The seed's Image Provenance services: a workload image, or a Helm chart. */
const SEED_PROVENANCE: Record<string, { workload?: string; chart?: string }> = {
  OpenClaw: { workload: 'openclaw/deployment/openclaw' },
  ArgoCD: { chart: 'argo-cd' },
  ESO: { chart: 'external-secrets' },
  'Prometheus/Grafana': { chart: 'kube-prometheus-stack' },
  Trivy: { chart: 'trivy-operator' },
};

function compareProvenance(rows: readonly string[], g: Generated): Drift[] {
  const out: Drift[] = [];
  const images = imageRows(g.ctx.index);
  const charts = sourceRows(g.ctx.index).filter((s) => s.kind === 'helm');
  const used = new Set<string>();
  for (const row of rows) {
    const [service, image] = row.split(/\s+/);
    const spec = SEED_PROVENANCE[service];
    if (spec?.workload) {
      const gen = images.find((r) => workloadKey(r) === spec.workload);
      used.add(`image ${spec.workload}`);
      if (gen?.image !== image) out.push(drift('image-provenance', service, 'image', image, gen?.image));
    } else if (spec?.chart) {
      const gen = charts.find((c) => c.what === spec.chart);
      used.add(`chart ${spec.chart}`);
      if (!gen?.pinned) out.push(drift('image-provenance', service, 'chart', `${image}: chart version pinned`, gen && `${gen.what} ${gen.targetRevision}: ${gen.pinning}`));
    } else {
      out.push(drift('image-provenance', service, 'row', image, undefined));
    }
  }
  // One row per workload and image: a chart's pod may run one image in several containers (init + main).
  const extra = new Set(images.filter((x) => !used.has(`image ${workloadKey(x)}`)).map((r) => `${workloadKey(r)} ${r.image}`));
  for (const key of extra) out.push(drift('image-provenance', key.split(' ')[0], `row ${key.split(' ')[1]}`, undefined, key.split(' ')[1]));
  for (const c of charts.filter((x) => !used.has(`chart ${x.what}`))) out.push(drift('image-provenance', `chart ${c.what}`, 'row', undefined, `${c.what} ${c.targetRevision} (${c.pinning})`));
  return out;
}

function compareSupplyChain(rows: readonly string[], g: Generated): Drift[] {
  const sources = sourceRows(g.ctx.index);
  const out: Drift[] = [];
  for (const row of rows) {
    if (row.startsWith('ArgoCD self-heal ')) {
      const manual = sources.filter((s) => !s.sync.includes('selfHeal')).map((s) => s.application);
      if (!sources.length || manual.length) out.push(drift('supply-chain', 'ArgoCD self-heal', 'status', 'Enabled', sources.length ? `not on ${manual.join(', ')}` : 'no Applications'));
    }
    if (row.startsWith('Helm chart version pinning ')) {
      const loose = sources.filter((s) => s.kind === 'helm' && !s.pinned).map((s) => s.application);
      if (loose.length) out.push(drift('supply-chain', 'Helm chart version pinning', 'status', 'Enforced', `not pinned: ${loose.join(', ')}`));
    }
  }
  return out;
}

function compareAccessModel(rows: readonly string[], g: Generated): Drift[] {
  const summary = new Map(exposureSummary(g.ctx.index));
  const out: Drift[] = [];
  const checks: [string, string][] = [['LoadBalancer services ', 'LoadBalancer Services'], ['Ingress controller ', 'Ingress objects']];
  for (const [prefix, control] of checks) {
    const row = rows.find((r) => r.startsWith(prefix));
    const generated = summary.get(control);
    if (row && generated !== 'none') out.push(drift('access-model', control, 'status', row.slice(prefix.length), generated));
  }
  return out;
}

function compareSecretControls(rows: readonly string[], g: Generated): Drift[] {
  const row = rows.find((r) => r.startsWith('Sync mechanism '));
  const claimed = row && /refreshInterval: (\S+)/.exec(row)?.[1];
  if (!claimed) return [];
  return externalSecretRows(g.ctx.index)
    .filter((r) => r.refreshInterval !== claimed)
    .map((r) => drift('secret-controls', `${r.namespace}/${r.name}`, 'refreshInterval', claimed, r.refreshInterval ?? 'unset'));
}

function compareRbacOverview(rows: readonly string[], g: Generated): Drift[] {
  const seed = new Map<string, string>();
  for (const row of rows) {
    const m = /^(\S+) (\S+)(?: \(ns: ([^)]+)\))? (Namespace Role \+ ClusterRole|ClusterRole|Namespace Role) /.exec(row);
    if (m) seed.set(`${m[3] ?? '(no namespace given)'}/${m[2]}`, m[4]);
    else seed.set(row, 'unparsed');
  }
  const generated = new Map(identityRows(g.ctx.index).map((r) => {
    const role = r.bindings.some((b) => b.startsWith('Role '));
    const cluster = r.bindings.some((b) => b.startsWith('ClusterRole '));
    return [`${r.namespace}/${r.name}`, role && cluster ? 'Namespace Role + ClusterRole' : cluster ? 'ClusterRole' : role ? 'Namespace Role' : 'no RBAC'];
  }));
  return compareKeyed('rbac-overview', 'scope', seed, generated);
}

function comparePodSecurity(rows: readonly string[], g: Generated): Drift[] {
  const out: Drift[] = [];
  const seed = new Map(rows.map((row): [string, { enforce?: string; auditWarn?: string; reason: string }] => {
    const tokens = row.split(/\s+/);
    const ns = tokens.shift()!;
    if (!LEVELS.includes(tokens[0])) return [ns, { enforce: undefined, auditWarn: undefined, reason: tokens.join(' ') }];
    return [ns, { enforce: tokens[0], auditWarn: tokens[1], reason: tokens.slice(2).join(' ') }];
  }));
  const generated = podSecurityRows(g.ctx.index);
  for (const ns of [...new Set([...seed.keys(), ...generated.map((r) => r.namespace)])].sort(compare)) {
    const s = seed.get(ns);
    const gen = generated.find((r) => r.namespace === ns);
    if (!s || !gen) {
      out.push(drift('pod-security', ns, 'row', s && `${s.enforce ?? ''} ${s.auditWarn ?? ''} ${s.reason}`.trim(), gen && `${gen.enforce} ${auditWarnText(gen)} ${gen.reason ?? ''}`.trim()));
      continue;
    }
    if (s.enforce !== gen.enforce) out.push(drift('pod-security', ns, 'enforce', s.enforce, gen.enforce));
    if (s.auditWarn !== auditWarnText(gen)) out.push(drift('pod-security', ns, 'audit/warn', s.auditWarn, auditWarnText(gen)));
    // "Fully compliant" is what the seed writes where no reason is needed.
    const seedReason = s.reason === 'Fully compliant' && isFullyRestricted(gen) ? '' : s.reason;
    if (seedReason !== (gen.reason ?? '')) out.push(drift('pod-security', ns, 'reason', seedReason, gen.reason));
  }
  return out;
}

// --- Rule pack ------------------------------------------------------------------------------------------------

function riskKey(r: { ruleId: string; object: string; finding: string }): string {
  return `${r.ruleId} ${r.object} ${r.finding}`;
}

/**
 * The seed's numbered risks that the rule pack accepts, by the rule and object of their suppressions (the
 * seed numbers its risks by hand; the generated register numbers its rows itself, so the link lives here).
 */
const SEED_RISK_FINDINGS: Readonly<Record<string, readonly string[]>> = {
  2: ['HB-RBAC-005 Role/openclaw/openclaw-role', 'HB-RBAC-006 Role/openclaw/openclaw-role'],
  3: ['HB-RBAC-008 ClusterRole//openclaw-homelab-admin'],
  4: ['HB-RBAC-014 ClusterRole//openclaw-homelab-admin'],
};

function compareRisks(rows: readonly string[], g: Generated): Drift[] {
  const out: Drift[] = [];
  const accepted = g.ctx.risks?.acceptedRisks ?? [];
  const numbered = new Set<string>();
  for (const row of rows) {
    const m = /^(\d+) (.*?) (High|Medium|Low) /.exec(row);
    if (!m) continue;
    const keys = SEED_RISK_FINDINGS[m[1]] ?? [];
    const matches = accepted.filter((r) => keys.includes(`${r.ruleId} ${r.object}`));
    matches.forEach((r) => numbered.add(riskKey(r)));
    if (!matches.length) out.push(drift('risk-summary', `#${m[1]} ${m[2]}`, 'accepted risk', `${m[3]}: ${m[2]}`, undefined));
    // The severity is typed on each suppression: it must say what the seed says.
    for (const r of matches.filter((x) => x.severity?.toLowerCase() !== m[3].toLowerCase())) {
      out.push(drift('risk-summary', `#${m[1]} ${riskKey(r)}`, 'severity', m[3], r.severity ?? 'unrated'));
    }
  }
  for (const r of accepted.filter((x) => !numbered.has(riskKey(x)))) out.push(drift('risk-summary', riskKey(r), 'accepted risk', undefined, r.reason));
  return out;
}

function compareRoadmap(rows: readonly string[], g: Generated): Drift[] {
  const out = rows.map((row) => drift('hardening-roadmap', row.split(/\s+/).slice(0, 8).join(' '), 'item', row, undefined));
  for (const r of g.ctx.risks?.roadmap ?? []) out.push(drift('hardening-roadmap', riskKey(r), 'item', undefined, r.detail ?? r.fix));
  return out;
}

// --- The seed's tables ----------------------------------------------------------------------------------------

/** Every table of the seed, in document order. */
export const SEED_TABLES: readonly SeedTableSpec[] = [
  { id: 'threat-model', heading: 'Threat Model', header: 'Factor Detail', counterpart: { narrative: 'Threat Model' } },
  { id: 'access-model', heading: 'Access Model', header: 'Control Status', counterpart: { sections: ['network-exposure'], narrative: 'Access Model' }, compare: compareAccessModel },
  { id: 'network-policies', heading: 'Default-Deny Network Policies', header: 'Namespace Foundational Policies Namespace-Specific Rules', counterpart: { sections: ['network-policies', 'network-policy-rules', 'network-flows'] }, compare: comparePolicies },
  { id: 'pod-security', heading: 'Pod Security Standards', header: 'Namespace Enforce Audit/Warn Reason', counterpart: { sections: ['pod-security'] }, compare: comparePodSecurity },
  { id: 'rbac-overview', heading: 'RBAC', header: 'Service ServiceAccount Scope Permissions', counterpart: { sections: ['rbac-identities'] }, compare: compareRbacOverview },
  { id: 'secret-controls', heading: 'Secret Management: Controls', header: 'Control Implementation', counterpart: { sections: ['external-secrets'], narrative: 'Secret Management' }, compare: compareSecretControls },
  { id: 'es-inventory', heading: 'ExternalSecret Inventory', header: 'ExternalSecret Namespace Keys', counterpart: { sections: ['external-secrets', 'secret-stores'] }, compare: compareInventory },
  { id: 'container-security', heading: 'Container Security: Non-Root Execution', header: 'Service runAsUser runAsNonRoot readOnlyRootFilesystem Notes', counterpart: { sections: ['container-security'] }, compare: compareContainerSecurity },
  { id: 'image-provenance', heading: 'Image Provenance', header: 'Service Image Source Pinned', counterpart: { sections: ['image-provenance', 'gitops-sources'] }, compare: compareProvenance },
  { id: 'supply-chain', heading: 'Supply Chain Security', header: 'Control Status Details', counterpart: { sections: ['gitops-sources'], narrative: 'Supply Chain Security' }, compare: compareSupplyChain },
  { id: 'vulnerability-scanning', heading: 'Vulnerability Scanning', header: 'Setting Value', counterpart: { narrative: 'Vulnerability Scanning' } },
  { id: 'namespace-role', heading: 'Namespace Role (openclaw namespace only)', header: 'Resources Verbs Risk', counterpart: { sections: ['rbac-grants'] }, compare: (rows, g) => compareSets('namespace-role', 'openclaw-role', seedPermissionAtoms(rows), generatedPermissionAtoms(g, 'namespace')) },
  { id: 'cluster-role', heading: 'ClusterRole (cluster-wide)', header: 'Resources Verbs Purpose Risk', counterpart: { sections: ['rbac-grants'] }, compare: (rows, g) => compareSets('cluster-role', 'openclaw-homelab-admin', seedPermissionAtoms(rows), generatedPermissionAtoms(g, 'cluster')) },
  { id: 'not-granted', heading: 'What the ClusterRole does NOT grant', header: 'Capability Why excluded', counterpart: { sections: ['rbac-guarantees'] }, compare: compareNotGranted },
  { id: 'secrets-accessible', heading: 'Secrets Accessible', header: 'Secret Key Purpose Scope', counterpart: { sections: ['secret-access'] }, compare: compareSecretsAccessible },
  { id: 'host-volumes', heading: 'Host Filesystem Access', header: 'Volume Host Path Mount Path Mode', counterpart: { sections: ['host-volumes'] }, compare: compareHostVolumes },
  { id: 'container-context', heading: 'Container Security Context', header: 'Control Status', occurrence: 2, counterpart: { sections: ['container-security'] }, compare: compareContainerContext },
  { id: 'network-exposure', heading: 'Network Exposure', header: 'Layer Port Access', counterpart: { sections: ['services'], narrative: 'Network Exposure' }, compare: compareExposure },
  { id: 'agents', heading: 'Agent Capabilities', header: 'Agent Skills Can Delegate To', counterpart: { narrative: 'Agent Capabilities' } },
  { id: 'spawning-limits', heading: 'Agent Capabilities: spawning limits', header: 'Setting Value', occurrence: 2, counterpart: { narrative: 'Agent Capabilities' } },
  { id: 'agent-tools', heading: 'Agent Capabilities: tools', header: 'Tool Capability', counterpart: { narrative: 'Agent Capabilities' } },
  { id: 'git-guardrails', heading: 'Agent Git Workflow Guardrails', header: 'Guardrail Implementation', counterpart: { narrative: 'Agent Git Workflow Guardrails' } },
  { id: 'risk-summary', heading: 'Risk Summary', header: '# Risk Severity Current Mitigation Residual Risk', counterpart: { sections: ['risk-summary'], narrative: 'Risk Summary' }, compare: compareRisks },
  { id: 'isolation-layers', heading: 'Host Isolation: layer-by-layer breakdown', header: 'Layer What it does What OpenClaw cannot do', counterpart: { narrative: 'Host Isolation — How OpenClaw Cannot Reach the Mac Mini' } },
  { id: 'openclaw-can-access', heading: 'What OpenClaw CAN access', header: 'Resource Access level Risk', counterpart: { sections: ['rbac-grants', 'secret-access', 'host-volumes', 'network-flows'] } },
  { id: 'gateway-principles', heading: 'Personal Task Gateway: design principles', header: 'Principle Why How', counterpart: { narrative: 'Personal Task Gateway' } },
  { id: 'gateway-messaging', heading: 'Personal Task Gateway: messaging', header: 'Component Where Role', counterpart: { sections: ['network-flows', 'services'], narrative: 'Personal Task Gateway' } },
  { id: 'gateway-voice', heading: 'Personal Task Gateway: phone calls', header: 'Component Where Role', occurrence: 2, counterpart: { sections: ['network-flows', 'external-secrets'], narrative: 'Personal Task Gateway' } },
  { id: 'gateway-finance', heading: 'Personal Task Gateway: banking', header: 'Component Where Role', occurrence: 3, counterpart: { sections: ['network-flows', 'secret-access'], narrative: 'Personal Task Gateway' } },
  { id: 'gateway-controls', heading: 'Kubernetes controls for the personal-gateway namespace', header: 'Control Configuration', counterpart: { sections: ['rbac-identities', 'network-flows', 'external-secrets', 'container-security', 'pod-security'] } },
  { id: 'gateway-approach', heading: 'Summary: full power vs. K8s-mediated access', header: 'Approach OpenClaw gets Risk', counterpart: { narrative: 'Personal Task Gateway' } },
  { id: 'roadmap', heading: 'Hardening Roadmap', header: 'Item Affected Services Priority Effort', counterpart: { sections: ['hardening-roadmap'], narrative: 'Hardening Roadmap' }, compare: compareRoadmap },
];

/** A seed table as found: its line index and rows. */
export interface SeedTable {
  readonly spec: SeedTableSpec;
  readonly line: number;
  readonly rows: readonly string[];
}

/** Finds every spec'd table in the seed; throws naming the ones it cannot find. */
export function seedTables(seedText: string): SeedTable[] {
  const lines = seedText.split(/\r?\n/);
  const missing: string[] = [];
  const found = SEED_TABLES.flatMap((spec) => {
    const hits = lines.map((l, i) => (l.trim() === spec.header ? i : -1)).filter((i) => i >= 0);
    const line = hits[(spec.occurrence ?? 1) - 1];
    if (line === undefined) {
      missing.push(`${spec.id} ("${spec.header}" #${spec.occurrence ?? 1})`);
      return [];
    }
    const rows: string[] = [];
    for (let i = line + 1; i < lines.length && lines[i].trim() !== ''; i++) rows.push(lines[i].trim());
    return [{ spec, line, rows }];
  });
  if (missing.length) {
    throw new Error(`seed tables not found: ${missing.join(', ')}. Allowed: the header lines listed in SEED_TABLES. Fix: update SEED_TABLES in scripts/report-drift.ts to the seed's headers.`);
  }
  return found;
}

/** Every difference between the seed's tables (and its count claims) and the generated ones, sorted by id. */
export function computeDrift(seedText: string, input: SecurityReportInput): Drift[] {
  const ctx = reportContext(input);
  let permissions: readonly Permission[] | undefined;
  const g: Generated = {
    ctx,
    get openclawPermissions() {
      return (permissions ??= effectivePermissions(ctx.index.objects, OPENCLAW));
    },
  };
  const out = [
    ...seedTables(seedText).flatMap((t) => t.spec.compare?.(t.rows, g) ?? []),
    ...countClaims(seedText, g),
  ];
  const ids = new Set<string>();
  for (const d of out) {
    if (ids.has(d.id)) throw new Error(`two differences share the id ${d.id}: make the row or field of one of them distinct`);
    ids.add(d.id);
  }
  return sortBy(out, (d) => [d.id]);
}

/** Differences without a verdict, and verdicts without a difference. */
export function reviewProblems(drifts: readonly Drift[], verdicts: Readonly<Record<string, Verdict>>): { unreviewed: Drift[]; stale: string[] } {
  const ids = new Set(drifts.map((d) => d.id));
  return {
    unreviewed: drifts.filter((d) => !verdicts[d.id]),
    stale: Object.keys(verdicts).filter((id) => !ids.has(id)).sort(compare),
  };
}

/** docs/drift-audit.md. */
export function renderDriftAudit(drifts: readonly Drift[], verdicts: Readonly<Record<string, Verdict>>): string {
  const count = (right: string) => drifts.filter((d) => verdicts[d.id]?.right === right).length;
  const unreviewed = drifts.filter((d) => !verdicts[d.id]).length;
  const headings = new Map(SEED_TABLES.map((t) => [t.id, t.heading]));
  return [
    '<!-- Generated by `npm run report:drift` from the seed report, the homelab and docs/drift-verdicts.json. Do not edit: edit the verdicts. -->',
    '# Drift audit: the generated report vs. the seed',
    '',
    'Every difference between the tables of the hand-maintained seed report (`seed/security-report.md` in the',
    'shared inputs) and the tables generated from the code into `docs/security.md`, with the reviewed verdict',
    'from `docs/drift-verdicts.json`: **code** (the generated table is right; the seed had drifted), **seed**',
    '(the seed states something the code does not generate, e.g. because it lives outside the cluster), or',
    '**both** (the same fact in different words). Rows are compared by their keys (namespace, volume, key,',
    'permission…), so a row present on one side only is one difference.',
    '',
    `${drifts.length} differences: ${count('code')} code right, ${count('seed')} seed right, ${count('both')} both, ${unreviewed} unreviewed.`,
    '',
    table(
      ['ID', 'Seed table', 'Row', 'Field', 'Seed', 'Generated', 'Who is right', 'Why'],
      drifts.map((d) => [
        `\`${d.id}\``,
        headings.get(d.table) ?? d.table,
        d.row,
        d.field,
        d.seed,
        d.generated,
        verdicts[d.id]?.right ?? 'UNREVIEWED',
        verdicts[d.id]?.why ?? 'add a verdict to docs/drift-verdicts.json',
      ]),
      '_No differences._',
    ),
    '',
  ].join('\n');
}

/** Paths of the audit's inputs and outputs. */
export const DRIFT_FILES = {
  seed: () => path.join(sharedDir(), 'seed', 'security-report.md'),
  verdicts: 'docs/drift-verdicts.json',
  audit: 'docs/drift-audit.md',
};

/** Reads the verdicts file (an object keyed by drift id). */
export function readVerdicts(file: string): Record<string, Verdict> {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [id, v] of Object.entries(parsed) as [string, any][]) {
    if (!['code', 'seed', 'both'].includes(v?.right) || typeof v?.why !== 'string' || v.why.trim().length < 20) {
      throw new Error(`${file}: verdict ${id} must be { "right": "code" | "seed" | "both", "why": "<at least 20 characters>" }, got ${JSON.stringify(v)}`);
    }
  }
  return parsed;
}

function main(): void {
  const root = process.cwd(); // npm runs scripts from the package root
  const seedFile = DRIFT_FILES.seed();
  const drifts = computeDrift(fs.readFileSync(seedFile, 'utf8'), homelabReportInput());
  const verdicts = readVerdicts(path.join(root, DRIFT_FILES.verdicts));
  replaceFile(path.join(root, DRIFT_FILES.audit), renderDriftAudit(drifts, verdicts));
  const { unreviewed, stale } = reviewProblems(drifts, verdicts);
  process.stdout.write(`drift audit: ${drifts.length} differences with the seed (${seedFile}); written to ${DRIFT_FILES.audit}\n`);
  for (const d of unreviewed) process.stderr.write(`UNREVIEWED ${d.id}: seed ${JSON.stringify(d.seed)} vs generated ${JSON.stringify(d.generated)}\n`);
  for (const id of stale) process.stderr.write(`STALE verdict ${id}: no such difference any more; remove it from ${DRIFT_FILES.verdicts}\n`);
  if (unreviewed.length || stale.length) {
    process.stderr.write(`Fix: review each difference and record who is right in ${DRIFT_FILES.verdicts} (or fix the code).\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
