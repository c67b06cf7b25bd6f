import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { homelabReportInput } from '../../homelab/synthesis';
import { REPORT_SECTION_IDS } from '../../lib';
import {
  DRIFT_FILES,
  SEED_TABLES,
  computeDrift,
  readVerdicts,
  renderDriftAudit,
  reviewProblems,
  ruleAtoms,
  seedTables,
} from '../../scripts/report-drift';

const ROOT = path.resolve(__dirname, '..', '..');
const seedFile = DRIFT_FILES.seed();
if (!fs.existsSync(seedFile)) {
  throw new Error(`${seedFile} not found. Allowed: the shared inputs beside the repository. Fix: put them in ../shared or set BASELINE_SHARED_DIR.`);
}
const seed = fs.readFileSync(seedFile, 'utf8');
const input = homelabReportInput();
const drifts = computeDrift(seed, input);
const verdicts = readVerdicts(path.join(ROOT, DRIFT_FILES.verdicts));
const template = fs.readFileSync(path.join(ROOT, 'docs', 'security.template.md'), 'utf8');
const report = fs.readFileSync(path.join(ROOT, 'docs', 'security.md'), 'utf8');

// Lines of the copy-pasted seed that are code, diagrams or lists, not tables.
const CODE_LINE = /^(\s|flowchart |graph |#|kubectl |jq |POST |Response: |[{}]|securityContext:|apiVersion:|kind:|metadata:)/;

/**
 * Lines that start a block of several lines outside every known table and are neither code nor a list: an
 * unknown table. (The seed is copy-pasted text: a table is a header line and rows, up to a blank line.)
 */
function strayBlocks(text: string): string[] {
  const headerLines = new Set(seedTables(text).map((t) => t.line));
  const lines = text.split(/\r?\n/);
  const stray: string[] = [];
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const next = lines[i + 1] ?? '';
    if (line.trim() === '') {
      inTable = false;
      continue;
    }
    if (headerLines.has(i)) inTable = true;
    const startsBlock = (i === 0 || lines[i - 1].trim() === '' || CODE_LINE.test(lines[i - 1])) && next.trim() !== '';
    if (!inTable && startsBlock && !CODE_LINE.test(line) && !CODE_LINE.test(next)) stray.push(`${i + 1}: ${line}`);
  }
  return stray;
}

describe('the seed tables', () => {
  test('every table of the seed is known: each header is found, and every other block of lines is code or a list', () => {
    expect(seedTables(seed).map((t) => t.spec.id)).toEqual(SEED_TABLES.map((s) => s.id)); // throws when a header is missing
    expect(strayBlocks(seed)).toEqual([]);
  });

  test('a table the specs do not know is caught', () => {
    const withNewTable = seed.replace('\nRisk Summary\n', '\nRisk Summary\n\nLimit Value\nmaxPods 3\n');
    expect(strayBlocks(withNewTable)).toEqual([expect.stringMatching(/: Limit Value$/)]);
  });

  test('every table of the seed has a counterpart: generated sections in docs/security.md, or prose in the template', () => {
    for (const spec of SEED_TABLES) {
      const { sections = [], narrative } = spec.counterpart;
      if (!sections.length && !narrative) throw new Error(`seed table ${spec.id} has no counterpart`);
      for (const id of sections) {
        expect(REPORT_SECTION_IDS).toContain(id);
        expect(report).toContain(`<!-- generated:${id} -->`);
      }
      if (narrative) expect(template).toMatch(new RegExp(`^#{2,4} ${narrative.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
  });

  test('the tables whose facts live in Kubernetes objects are compared; only narrative ones are not', () => {
    const compared = SEED_TABLES.filter((s) => s.compare).map((s) => s.id);
    const narrativeOnly = SEED_TABLES.filter((s) => !s.compare).map((s) => s.id);
    expect(narrativeOnly).toEqual([
      'threat-model', 'vulnerability-scanning', 'agents', 'spawning-limits', 'agent-tools', 'git-guardrails',
      'isolation-layers', 'openclaw-can-access', 'gateway-principles', 'gateway-messaging', 'gateway-voice',
      'gateway-finance', 'gateway-controls', 'gateway-approach',
    ]);
    expect(compared).toHaveLength(SEED_TABLES.length - narrativeOnly.length);
  });
});

describe('the drift audit', () => {
  test('finds the known drift: the seed says eight OpenClaw secrets, its inventory and the code have nine', () => {
    expect(drifts).toContainEqual(expect.objectContaining({ id: 'secrets-accessible/discord-webhook-alerts/row', seed: '—', generated: 'accessible' }));
    expect(drifts).toContainEqual(expect.objectContaining({
      id: 'prose-claims/eight-secrets-are-injected-as-environment-variables-into-the-openclaw-container/count-of-openclaw-secret-keys',
      seed: '8',
      generated: '9',
    }));
    // The inventory itself agrees with the code.
    expect(drifts.filter((d) => d.table === 'es-inventory' && d.row === 'openclaw-secret')).toEqual([]);
  });

  test('the OpenClaw Role and ClusterRole match the seed exactly, and nothing the seed excludes is granted', () => {
    expect(drifts.filter((d) => ['namespace-role', 'cluster-role', 'not-granted'].includes(d.table))).toEqual([]);
  });

  test('every difference has a reviewed verdict, and every verdict a difference', () => {
    const { unreviewed, stale } = reviewProblems(drifts, verdicts);
    const message = [
      ...unreviewed.map((d) => `UNREVIEWED ${d.id}: seed ${JSON.stringify(d.seed)} vs generated ${JSON.stringify(d.generated)}`),
      ...stale.map((id) => `STALE verdict ${id}`),
    ];
    if (message.length) {
      throw new Error(`${message.join('\n')}\nFix: review each difference and record who is right in ${DRIFT_FILES.verdicts}, then run \`npm run report:drift\`.`);
    }
  });

  test('docs/drift-audit.md is what `npm run report:drift` writes', () => {
    const committed = fs.readFileSync(path.join(ROOT, DRIFT_FILES.audit), 'utf8');
    expect(committed === renderDriftAudit(drifts, verdicts)).toBe(true);
  });

  test('a changed seed value is a difference on both sides of the row', () => {
    const changed = seed.replace('argocd deny-all, allow-same-ns, allow-dns Tailscale ingress (:8080)', 'argocd deny-all, allow-same-ns, allow-dns Tailscale ingress (:8081)');
    const ids = computeDrift(changed, input).map((d) => d.id).filter((id) => id.startsWith('network-policies/argocd/'));
    expect(ids).toEqual(['network-policies/argocd/ingress-from-tailnet-8080', 'network-policies/argocd/ingress-from-tailnet-8081']);
  });

  test('a seed severity that differs from the suppressions\' typed severity is a difference', () => {
    const changed = seed.replace('3 ClusterRole allows patch on deployments/statefulsets cluster-wide Medium', '3 ClusterRole allows patch on deployments/statefulsets cluster-wide High');
    expect(changed).not.toBe(seed);
    const severity = computeDrift(changed, input).filter((d) => d.id.startsWith('risk-summary/') && d.id.endsWith('/severity'));
    // Both suppressions behind seed risk #3 (deployments and statefulsets) are Medium in the code.
    expect(severity.map((d) => [d.seed, d.generated])).toEqual([['High', 'medium'], ['High', 'medium']]);
    expect(computeDrift(seed, input).filter((d) => d.id.endsWith('/severity'))).toEqual([]);
  });

  test('reviewProblems lists differences without verdicts and verdicts without differences', () => {
    const d = drifts[0];
    const { unreviewed, stale } = reviewProblems([d], { 'gone/row/field': { right: 'code', why: 'an old difference that was fixed' } });
    expect(unreviewed).toEqual([d]);
    expect(stale).toEqual(['gone/row/field']);
  });

  test('verdicts must say who is right and why', () => {
    const file = path.join(os.tmpdir(), `verdicts-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify({ x: { right: 'maybe', why: 'short' } }));
    expect(() => readVerdicts(file)).toThrow(/verdict x must be \{ "right": "code" \| "seed" \| "both"/);
    fs.rmSync(file);
  });
});

describe('ruleAtoms', () => {
  test.each([
    ['Infisical egress (:8080)', 'egress to infisical (:8080)'],
    ['ingress from external-secrets (:8080)', 'ingress from namespace external-secrets (:8080)'],
  ])('%s and %s are the same rule', (seedWords, generatedWords) => {
    expect(ruleAtoms(seedWords)).toEqual(ruleAtoms(generatedWords));
  });

  test('one atom per port', () => {
    expect(ruleAtoms('internet egress (:443, :22)')).toEqual(['egress to internet :443', 'egress to internet :22']);
    expect(ruleAtoms('Tailscale ingress (:9000, :9443)')).toEqual(['ingress from tailnet :9000', 'ingress from tailnet :9443']);
  });
});
