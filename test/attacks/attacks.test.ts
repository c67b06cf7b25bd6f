/**
 * The attack corpus: every case of test/attacks/cases/*.ts is applied to a temporary copy of the repository and
 * must be stopped by the gate it names: synth refuses it (the rule pack or a construct, in the library's message
 * format), or `npm run diff` against the unchanged base exits 2. Then the canaries: with one rule or diff check
 * removed from the copy, the cases only it stops must come out NOT stopped, so the corpus can fail.
 */
import { AttackCase, AttackEdit } from './attack-case';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GateResult, Job, RepoCopy, loadCases, runJobs } from './corpus';

const CASES = loadCases();
const ONLY = process.env.ATTACK_CASES?.split(',').filter(Boolean);
const selected = ONLY ? CASES.filter((c) => ONLY.includes(c.id)) : CASES;

/** A gate removed from the copy, and the cases that then pass it. */
interface Canary {
  readonly id: string;
  /** The edit that removes one rule or diff check. */
  readonly disable: readonly AttackEdit[];
  /** Cases that only this rule or check stops. */
  readonly cases: readonly string[];
}

const PACK = 'lib/rules/pack/index.ts';
/**
 * The homelab's one suppression of rule `id`, exactly as homelab/suppressions.ts spells it (one entry of its
 * list), so a canary that removes the rule can remove its suppression too.
 */
function homelabSuppression(id: string): string {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'homelab', 'suppressions.ts'), 'utf8');
  const found = (text.match(/^ {2}\{\n[\s\S]*?^ {2}\},\n/gm) ?? []).filter((entry) => entry.includes(`id: '${id}',`));
  if (found.length !== 1) throw new Error(`homelab/suppressions.ts has ${found.length} suppressions of ${id}; the canary removes exactly one`);
  return found[0];
}
const DIFF = 'lib/diff/diff-objects.ts';
const CANARIES: readonly Canary[] = [
  { id: 'without HB-SVC-001', disable: [{ file: PACK, find: '    serviceTypeRule,\n', replace: '' }], cases: ['svc-loadbalancer-type'] },
  { id: 'without HB-SVC-002', disable: [{ file: PACK, find: '    externalIpsRule,\n', replace: '' }], cases: ['svc-external-ips'] },
  { id: 'without HB-ARGO-004', disable: [{ file: PACK, find: '    deployBranchRule(options.deployBranch ?? DEFAULT_DEPLOY_BRANCH),\n', replace: '' }], cases: ['argo-target-revision-feature-branch'] },
  { id: 'without HB-ESO-001', disable: [{ file: PACK, find: '    externalSecretScopeRule,\n', replace: '' }], cases: ['eso-datafrom-extract'] },
  { id: 'without HB-ESO-002', disable: [{ file: PACK, find: '    storeConditionsRule,\n', replace: '' }], cases: ['eso-store-condition-regex'] },
  {
    id: 'without HB-SVC-003',
    // The homelab's one reasoned node port goes too: a suppression of a rule that no longer exists fails synth.
    disable: [{ file: PACK, find: '    nodePortRule,\n', replace: '' }, { file: 'homelab/suppressions.ts', find: homelabSuppression('HB-SVC-003'), replace: '' }],
    cases: ['svc-nodeport-random'],
  },
  { id: 'without HB-ARGO-006', disable: [{ file: PACK, find: '    dangerousSyncOptionsRule,\n', replace: '' }], cases: ['argo-sync-force'] },
  { id: 'without HB-OBJ-001', disable: [{ file: PACK, find: '    annotationSizeRule,\n', replace: '' }], cases: ['reason-raw-annotation-300-kb'] },
  {
    id: 'without the branch check of the diff',
    disable: [{ file: 'lib/diff/versions.ts', find: "else if (field === 'targetRevision' && !isImmutableRevision(source))", replace: 'else if (false)' }],
    cases: ['dist-argo-target-branch'],
  },
  { id: 'without HB-RBAC-002', disable: [{ file: 'lib/rules/pack/rbac-rules.ts', find: '  noBuiltinAdminBindings,\n', replace: '' }], cases: ['chart-extraobjects-cluster-admin-chart-sa'] },
  { id: 'without the service diff check', disable: [{ file: DIFF, find: 'serviceCheck,', replace: '' }], cases: ['dist-svc-loadbalancer'] },
  { id: 'without the sync-options diff check', disable: [{ file: DIFF, find: 'syncOptionsCheck,', replace: '' }], cases: ['dist-remove-prune-false'] },
  { id: 'without the ArgoCD access diff check', disable: [{ file: DIFF, find: ' argocdAccessCheck,', replace: '' }], cases: ['dist-argocd-anonymous-access'] },
  { id: 'without the secrets diff check', disable: [{ file: DIFF, find: 'externalSecretCheck,', replace: '' }], cases: ['dist-es-key-removed'] },
];

/** Copies of the repository, one per core (at most 2): the cases run on them side by side. */
const COPIES = Math.max(1, Math.min(2, Number(process.env.ATTACK_COPIES ?? os.availableParallelism())));
const canaries = CANARIES.filter((k) => !ONLY || k.cases.some((id) => ONLY.includes(id)));
const BASE = 'base';
const canaryKey = (k: Canary, id: string): string => `canary(${k.id}) ${id}`;
const JOBS: Job[] = [
  // An empty edit of a source: synth runs, then the diff against the untouched base.
  { key: BASE, edits: [{ file: 'homelab/index.ts', find: '', replace: '' }], until: 'diff' },
  ...selected.map((c) => ({ key: c.id, edits: c.edits, until: c.stoppedBy })),
  ...canaries.flatMap((k) => k.cases.map((id) => {
    const c = CASES.find((x) => x.id === id);
    if (!c) throw new Error(`canary ${k.id} names an unknown case ${id}`);
    return { key: canaryKey(k, id), edits: c.edits, until: c.stoppedBy, tooling: k.disable };
  })),
];

let copies: RepoCopy[] = [];
let verdicts = new Map<string, GateResult | Error>();
const results: { id: string; expected: string; got: GateResult }[] = [];

beforeAll(async () => {
  copies = Array.from({ length: COPIES }, () => new RepoCopy());
  verdicts = await runJobs(copies, JOBS);
}, 60 * 60 * 1000);

afterAll(() => {
  copies.forEach((c) => c.dispose());
  const rows = results.map((r) => `${r.got.stoppedBy === r.expected ? 'ok  ' : 'FAIL'} ${r.id.padEnd(44)} stopped by ${r.got.stoppedBy.padEnd(5)} | ${r.got.evidence.slice(0, 160)}`);
  if (rows.length) process.stdout.write(`\nattack corpus: ${results.filter((r) => r.got.stoppedBy === r.expected).length}/${results.length} as expected (${COPIES} copies)\n${rows.join('\n')}\n`);
});

/** The verdict of job `key`; a job that could not run (a stale edit) fails its test with the reason. */
function verdict(key: string): GateResult {
  const v = verdicts.get(key);
  if (v === undefined) throw new Error(`no verdict for ${key}`);
  if (v instanceof Error) throw v;
  return v;
}

test('the unchanged base passes both gates (synth succeeds, the diff finds no change)', () => {
  expect(verdict(BASE)).toEqual({ stoppedBy: 'none', evidence: 'diff exited 0' });
});

test('the corpus has at least 42 cases of this part, each with edits and a gate', () => {
  const mine = CASES.filter((c) => ['service-exposure', 'external-secrets', 'gitops', 'reasons'].includes(c.class));
  expect(mine.length).toBeGreaterThanOrEqual(42);
  for (const c of CASES) {
    expect(c.edits.length).toBeGreaterThan(0);
    expect(['synth', 'diff']).toContain(c.stoppedBy);
  }
});

describe.each(selected.map((c): [string, AttackCase] => [`${c.class}: ${c.id}`, c]))('%s', (_, c) => {
  test(`is stopped by ${c.stoppedBy}: ${c.description}`, () => {
    const got = verdict(c.id);
    results.push({ id: c.id, expected: c.stoppedBy, got });
    expect(got.stoppedBy === c.stoppedBy ? c.stoppedBy : `${got.stoppedBy}: ${got.evidence}`).toBe(c.stoppedBy);
  });
});

// A subset (ATTACK_CASES) may select no canary, and jest refuses an empty table.
if (canaries.length) {
  describe.each(canaries.map((k): [string, Canary] => [k.id, k]))('canary %s', (_, k) => {
    test.each(k.cases.map((id) => [id]))('%s is NOT stopped by its gate', (id) => {
      const got = verdict(canaryKey(k, id));
      results.push({ id: canaryKey(k, id), expected: 'none', got });
      expect(got.stoppedBy).toBe('none');
    });
  });
}
