import { serviceAccountGroups } from '../../lib/rbac/permission';
import { MatrixEntry, OPENCLAW_MATRIX } from '../rbac/openclaw-matrix';
import { ObjectIndex } from '../../lib/report/objects';
import { clusterPowerRows } from '../../lib/report/charts';
import { distObjects, ensureDistApplied } from './dist';
import { kubectl } from './kube';

/** The groups the API server gives `user`: a ServiceAccount's (system:serviceaccount:NS:NAME), else authenticated. */
function groupsOf(user: string): string[] {
  const [prefix, kind, namespace, name] = user.split(':');
  return prefix === 'system' && kind === 'serviceaccount' ? serviceAccountGroups({ namespace, name }) : ['system:authenticated'];
}

/** Asks the real RBAC authorizer every question at once (a List of SubjectAccessReviews). */
function review(entries: readonly MatrixEntry[]): boolean[] {
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: entries.map((e) => ({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: e.user,
        groups: groupsOf(e.user),
        resourceAttributes: { verb: e.verb, group: e.group, resource: e.resource, subresource: e.subresource, namespace: e.namespace },
      },
    })),
  };
  const r = kubectl(['create', '-o', 'json', '-f', '-'], JSON.stringify(list));
  expect(r.stderr).toBe('');
  // kubectl prints one pretty-printed JSON document per created object.
  const items: any[] = r.stdout.trim().split(/\n(?=\{)/).map((doc) => JSON.parse(doc));
  expect(items).toHaveLength(entries.length);
  return items.map((i) => i.status.allowed === true);
}

const label = (e: MatrixEntry) =>
  `${e.verb} ${e.resource}${e.subresource ? `/${e.subresource}` : ''}${e.group ? `.${e.group}` : ''} ${e.namespace ? `-n ${e.namespace}` : '(cluster/all)'}`;

beforeAll(() => ensureDistApplied());

describe('OpenClaw RBAC on the real authorizer', () => {
  let answers: boolean[] = [];
  beforeAll(() => {
    answers = review(OPENCLAW_MATRIX);
    const rows = OPENCLAW_MATRIX.map((e, i) => `${answers[i] ? 'ALLOW' : 'deny '}  expected ${e.expected.padEnd(5)}  ${label(e).padEnd(70)} ${e.why}`);
    process.stdout.write(`\nRBAC matrix for ${OPENCLAW_MATRIX[0].user} (${OPENCLAW_MATRIX.length} checks):\n${rows.join('\n')}\n`);
  });

  test('the matrix covers every seed grant and every guarantee', () => {
    expect(OPENCLAW_MATRIX.filter((e) => e.expected === 'allow').length).toBeGreaterThan(40);
    for (const id of ['no-create', 'no-delete', 'no-foreign-secrets', 'no-foreign-exec', 'no-escalation-verbs', 'no-security-writes', 'no-wildcards', 'no-privileged-bindings']) {
      expect(OPENCLAW_MATRIX.some((e) => e.expected === 'deny' && e.why.includes(id))).toBe(true);
    }
  });

  test.each(OPENCLAW_MATRIX.map((e, i) => [label(e), e.expected, i] as const))('%s → %s', (_label, expected, i) => {
    expect(answers[i] ? 'allow' : 'deny').toBe(expected);
  });
});

describe('canaries: the authorizer really decides', () => {
  test('a forbidden verb is denied for a subject with no bindings, and allowed for the admin', () => {
    const q = (user: string): MatrixEntry => ({ user, verb: 'create', group: 'apps', resource: 'deployments', namespace: 'monitoring', expected: 'deny', why: 'canary' });
    expect(review([q('system:serviceaccount:launchfast:launchfast'), q('admin')])).toEqual([false, false]);
    // (edit/admin are aggregated by kube-controller-manager, which this test server does not run.)
    const r = kubectl(['auth', 'can-i', 'create', 'deployments', '-n', 'monitoring', '--as=canary-admin', '--as-group=system:masters']);
    expect(r.stdout.trim()).toBe('yes');
  });

  test('binding cluster-admin to a ServiceAccount makes the same question come back allowed', () => {
    const sa = 'system:serviceaccount:launchfast:canary-editor';
    const q: MatrixEntry = { user: sa, verb: 'create', group: 'apps', resource: 'deployments', namespace: 'launchfast', expected: 'deny', why: 'canary' };
    expect(review([q])).toEqual([false]);
    const bind = kubectl(['create', 'rolebinding', 'canary-editor', '-n', 'launchfast', '--clusterrole=cluster-admin', '--serviceaccount=launchfast:canary-editor']);
    expect(bind.code).toBe(0);
    try {
      expect(review([q])).toEqual([true]);
    } finally {
      kubectl(['delete', 'rolebinding', 'canary-editor', '-n', 'launchfast']);
    }
  });
});

/**
 * Every ServiceAccount that dist/ binds (the rendered charts' included) on the real authorizer: who reads
 * Secrets in every namespace and who may do everything everywhere, against the report's computed table
 * (lib/report/charts.ts), so the report's "cluster-admin" statement is the authorizer's, not our model's.
 */
describe('cluster-wide powers of every bound ServiceAccount (chart ones included)', () => {
  const rows = clusterPowerRows(new ObjectIndex(distObjects().map((o) => o.object)));
  const user = (r: (typeof rows)[number]) => `system:serviceaccount:${r.serviceAccount.namespace}:${r.serviceAccount.name}`;
  // "Reads Secrets cluster-wide" is get, list or watch in every namespace (get by name reads them too).
  const SECRET_READS = ['get', 'list', 'watch'];
  const questions = (r: (typeof rows)[number]): MatrixEntry[] => [
    ...SECRET_READS.map((verb): MatrixEntry => ({ user: user(r), verb, group: '', resource: 'secrets', expected: r.readsSecretsClusterWide ? 'allow' : 'deny', why: 'reads Secrets cluster-wide' })),
    { user: user(r), verb: '*', group: '*', resource: '*', expected: r.clusterAdmin ? 'allow' : 'deny', why: 'cluster-admin' },
  ];

  test('the rendered charts\' ServiceAccounts are in the matrix, and the argo-cd controller is cluster-admin on both', () => {
    expect(rows.some((r) => r.release?.startsWith('argo-cd '))).toBe(true);
    expect(rows.find((r) => r.serviceAccount.name === 'argocd-application-controller')?.clusterAdmin).toBe(true);
  });

  test('the authorizer agrees with the report on every ServiceAccount', () => {
    const entries = rows.flatMap(questions);
    const answers = review(entries);
    // Per ServiceAccount: the secret-read verbs answer together (any allowed = reads), cluster-admin alone.
    const per = SECRET_READS.length + 1;
    const disagreements = rows.flatMap((r, k) => {
      const a = answers.slice(k * per, (k + 1) * per);
      const e = entries.slice(k * per, (k + 1) * per);
      return [
        ...(a.slice(0, SECRET_READS.length).some(Boolean) !== r.readsSecretsClusterWide ? [`${user(r)}: ${e[0].why} expected ${e[0].expected}`] : []),
        ...(a[SECRET_READS.length] !== r.clusterAdmin ? [`${user(r)}: cluster-admin expected ${e[SECRET_READS.length].expected}`] : []),
      ];
    });
    expect(disagreements).toEqual([]);
  });
});
