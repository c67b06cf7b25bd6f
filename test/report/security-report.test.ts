import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPORT_SECTION_IDS, RiskSource, prepareSecurityReport, renderSecurityReport } from '../../lib';
import { renderSections } from '../../lib/report/security-report';
import { REQUIRE_ALL_SECTIONS, markerPair } from '../../lib/report/template';
import { tempDir } from '../util';
import { smallCluster } from './fixture';

const objects = smallCluster();
const risks: RiskSource = {
  acceptedRisks: [{ ruleId: 'HB-X-001', title: 'No hostPath', object: 'Deployment/web/site', finding: '[volume:static]', reason: 'static files | rendered by the host', by: 'exemption' }],
  roadmap: [{ ruleId: 'HB-NS-002', object: 'Namespace//legacy', finding: '[enforce:baseline]', fix: 'harden the vendor chart' }],
};
const sections = renderSections({ objects, risks });
const section = (id: string) => {
  const s = sections.get(id);
  if (s === undefined) throw new Error(`no section ${id}`);
  return s;
};
/** The table line whose first cells are `cells` (Markdown-escaped as rendered). */
const row = (id: string, ...cells: string[]) => section(id).split('\n').find((l) => l.startsWith(`| ${cells.join(' | ')} |`));

describe('the generated sections of a small cluster', () => {
  test('Pod Security: one row per namespace, with the written reason for a looser level', () => {
    expect(row('pod-security', '`legacy`')).toBe('| `legacy` | baseline | restricted | v1.28 | the vendor chart runs its server as root |');
    expect(row('pod-security', '`web`')).toBe('| `web` | restricted | restricted | v1.28 | restricted in every mode: no exemption needed |');
  });

  test('network policies: foundational policies detected by content, specific rules in words', () => {
    expect(row('network-policies', '`web`')).toBe(
      '| `web` | deny-all, allow-same-ns, allow-dns | Tailscale ingress (:8080), API server egress (:6443), internet egress (:443), egress to db (:5432) |',
    );
    expect(row('network-policies', '`db`')).toBe('| `db` | deny-all, allow-same-ns, allow-dns | [app=postgres] ingress from namespace web (:5432) |');
    // No allow-same-namespace: the table says so by leaving it out.
    expect(row('network-policies', '`legacy`')).toBe('| `legacy` | deny-all, allow-dns | none |');
    expect(row('network-policy-rules', '`web`', '`allow-egress-to-db`')).toBe('| `web` | `allow-egress-to-db` | all | Egress | namespace db | :5432 |');
    expect(row('network-policy-rules', '`web`', '`allow-dns`')).toBe('| `web` | `allow-dns` | all | Egress | namespace kube-system | :53/UDP, :53 |');
  });

  test('RBAC: each ServiceAccount with its bound roles, each rule with its verbs, resolved through the bindings', () => {
    expect(row('rbac-identities', '`web/agent`')).toBe(
      '| `web/agent` | true | ClusterRole agent-read (cluster-wide, via ClusterRoleBinding agent-read-binding); Role agent-role (namespace web, via RoleBinding agent-role-binding) |',
    );
    expect(row('rbac-identities', '`web/site`')).toBe('| `web/site` | false | none: no Kubernetes API permissions |');
    expect(row('rbac-grants', 'ServiceAccount web/agent', 'namespace web')).toBe(
      '| ServiceAccount web/agent | namespace web | Role agent-role | core | pods/log, pods | get, list | all | undocumented (no rule purpose annotation) | unrated |',
    );
    // Purpose and risk come from the role's rule-<i> annotations, by the rule's position.
    expect(section('rbac-grants')).toContain('| ServiceAccount web/agent | cluster-wide | ClusterRole agent-read | batch | jobs | delete | all | Remove finished jobs | Medium — can delete any job |');
    expect(section('rbac-grants')).toContain('| ServiceAccount web/agent | cluster-wide | ClusterRole agent-read | apps | deployments | get, watch | all | undocumented (no rule purpose annotation) | unrated |');
  });

  test('RBAC guarantees: checked against the effective permissions; an exempted breach shows its reason', () => {
    expect(row('rbac-guarantees', '`no-delete`')).toMatch(/web\/agent: exempted — the agent removes finished jobs by design \(cluster: delete batch\/jobs\)/);
    expect(row('rbac-guarantees', '`no-wildcards`')).toMatch(/\| web\/agent: holds \|$/);
  });

  test('ExternalSecret inventory: keys (with a differing remote key), store, refresh, policies', () => {
    expect(row('external-secrets', '`site-secret`')).toBe(
      '| `site-secret` | `web` | `site-env` | API_TOKEN, DB_PASSWORD ← POSTGRES_PASSWORD | `ClusterSecretStore/vault` | 15m | Owner / unset (Retain) |',
    );
    expect(row('secret-stores', '`ClusterSecretStore/vault`')).toBe(
      '| `ClusterSecretStore/vault` | infisical | auth.universalAuthCredentials.clientId ← Secret eso/creds [id] | namespaces: web |',
    );
    // The workload reads the Secret the ExternalSecret writes: every key, through envFrom.
    expect(row('secret-access', '`web`', '`deployment/site`')).toBe(
      '| `web` | `deployment/site` | `site-env` | envFrom | API_TOKEN, DB_PASSWORD | ExternalSecret site-secret |',
    );
  });

  test('container security: effective context per container, unset fields named with their default, exemptions with reasons', () => {
    expect(row('container-security', '`web`', '`deployment/site`', '`nginx`')).toBe(
      '| `web` | `deployment/site` | `nginx` | 101:101 | true | true | false | drop ALL | RuntimeDefault | none | hostpath: reads the static files the host renders; unpinned-image: nginx: built on the node from a pinned submodule |',
    );
    expect(row('container-security', '`web`', '`deployment/site`', '`sidecar`')).toBe(
      '| `web` | `deployment/site` | `sidecar` | 101:101 | true | unset (false) | unset (true) | unset (runtime defaults kept) | RuntimeDefault | none | hostpath: reads the static files the host renders; unpinned-image: nginx: built on the node from a pinned submodule |',
    );
    expect(row('host-volumes', '`web`')).toBe('| `web` | `deployment/site` | `static` | `/srv/site` | `nginx:/usr/share/nginx/html` | read-only |');
  });

  test('image provenance: tags and pinning; a chart range is not pinned', () => {
    expect(row('image-provenance', '`web`', '`deployment/site`', '`sidecar`')).toBe(
      '| `web` | `deployment/site` | `sidecar` | `busybox:latest` | `latest` | unset | NO |',
    );
    expect(row('image-provenance', '`web`', '`deployment/site`', '`nginx`')).toMatch(/\| yes \|$/);
    expect(row('gitops-sources', '`argocd/cache`')).toBe(
      '| `argocd/cache` | `platform` | helm `https://charts.example.com` | `redis` | `^18.0.0` | NOT PINNED: not one exact chart version | automated (prune, selfHeal) | https://kubernetes.default.svc ns web |',
    );
  });

  test('network exposure: Service ports with NodePorts, and who the policies admit to the target port', () => {
    expect(row('services', '`web`', '`site`')).toBe('| `web` | `site` | NodePort | 80 | 8080 (http) | 30080 | tailnet 100.64.0.0/10, web |');
    expect(row('network-exposure', 'NodePort Services')).toBe('| NodePort Services | `web/site` 30080 → 80 |');
    expect(row('network-exposure', 'LoadBalancer Services')).toBe('| LoadBalancer Services | none |');
  });

  test('risk summary and roadmap come from the rule report; pipes in reasons are escaped', () => {
    expect(row('risk-summary', '<a id="risk-1"></a>1')).toBe(
      '| <a id="risk-1"></a>1 | `HB-X-001` No hostPath | `Deployment/web/site` | `[volume:static]` | unrated | static files \\| rendered by the host | exemption |',
    );
    expect(row('hardening-roadmap', '1')).toBe('| 1 | `HB-NS-002` | `Namespace//legacy` | `[enforce:baseline]` | — | harden the vendor chart |');
    expect(renderSections({ objects }).get('risk-summary')).toBe('_No rule-pack report was given to the generator._');
  });

  test('the output is deterministic: the same objects in another order give the same bytes', () => {
    const again = renderSections({ objects: [...objects].reverse(), risks });
    expect([...again.entries()]).toEqual([...sections.entries()]);
  });
});

describe('renderSecurityReport', () => {
  const template = `${REQUIRE_ALL_SECTIONS}\n${REPORT_SECTION_IDS.map((id) => `## ${id}\n\n${markerPair(id)}\n`).join('\n')}`;

  test('fills every marker and opens with a do-not-edit banner naming the template', () => {
    const md = renderSecurityReport(template, { objects, risks }, 'my.template.md');
    expect(md.startsWith('<!-- Generated by `npm run synth` from my.template.md')).toBe(true);
    expect(md).toContain(`<!-- generated:pod-security -->\n${sections.get('pod-security')}\n<!-- /generated:pod-security -->`);
  });

  test('fails if the template lacks a section, naming it and the marker pair to add', () => {
    const without = template.replace(markerPair('services'), '');
    expect(() => renderSecurityReport(without, { objects }, 'my.template.md')).toThrow(
      /\[my\.template\.md\] generated section has no marker in the template: "services"\. Allowed: .*Fix: add this where the table belongs:\n<!-- generated:services -->/,
    );
  });

  test('prepareSecurityReport renders without writing; write() replaces the file', () => {
    const dir = tempDir();
    const templateFile = path.join(dir, 'security.template.md');
    fs.writeFileSync(templateFile, template);
    const outFile = path.join(dir, 'out', 'security.md');
    const report = prepareSecurityReport({ templateFile, outFile, objects, risks });
    expect(fs.existsSync(outFile)).toBe(false);
    report.write();
    expect(fs.readFileSync(outFile, 'utf8')).toBe(report.markdown);
    expect(fs.readdirSync(path.dirname(outFile))).toEqual(['security.md']);
  });
});

describe('docs/security.md', () => {
  const ROOT = path.resolve(__dirname, '..', '..');

  // The real pipeline (main.ts, built as `npm run synth` builds it) into a temp folder, compared with the
  // committed report: a change to the code or the template without `npm run synth` fails here.
  test('is exactly what synth generates from the current homelab', () => {
    const dir = tempDir('baseline-report-');
    const build = path.join(dir, 'build');
    const built = spawnSync('node', [path.join(ROOT, 'scripts', 'build.js'), '--out', build], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    const out = path.join(dir, 'security.md');
    const synth = spawnSync('node', [path.join(build, 'main.js')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), CDK8S_OUTDIR: path.join(dir, 'dist'), RULES_REPORT: path.join(dir, 'rules.json'), SECURITY_REPORT: out },
    });
    expect(synth.stderr).toBe('');
    const generated = fs.readFileSync(out, 'utf8');
    const committed = fs.readFileSync(path.join(ROOT, 'docs', 'security.md'), 'utf8');
    if (generated !== committed) {
      const a = committed.split('\n');
      const b = generated.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(
        `docs/security.md has drifted from the code: first difference at line ${line + 1}:\n` +
          `  committed: ${JSON.stringify(a[line])}\n  generated: ${JSON.stringify(b[line])}\n` +
          'Fix: run `npm run synth` and commit docs/security.md (edit the prose in docs/security.template.md, the tables in the code).',
      );
    }
  });

  test('has every generated section, each filled', () => {
    const md = fs.readFileSync(path.join(ROOT, 'docs', 'security.md'), 'utf8');
    for (const id of REPORT_SECTION_IDS) {
      expect(md).toMatch(new RegExp(`<!-- generated:${id} -->\\n[^\\n]+[\\s\\S]*?\\n<!-- /generated:${id} -->`));
    }
  });
});
