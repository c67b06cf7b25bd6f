import { BAD_INPUT_CASES, refusal } from './bad-input-cases';

/** `[path] problem: value. Allowed: ... Fix: ...` (the rule pack's findings: `[path] ID title: ... Fix: ...`). */
const SHAPE = /^\[[^\]]+\] .+: .*(\. Allowed: .+)?\. Fix: .+$/s;

test.each(BAD_INPUT_CASES.map((c) => [c.construct, c.input, c] as const))('%s refuses %s', (_construct, _input, c) => {
  const messages = refusal(c);
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatch(c.message);
  expect(messages[0]).toMatch(/^\[homelab\/[^\]]+\] /);
  expect(messages[0]).toMatch(SHAPE);
});

test('the case list covers every construct that takes input', () => {
  expect([...new Set(BAD_INPUT_CASES.map((c) => c.construct))].sort()).toEqual([
    'AgentRbac', 'DefaultDenyPolicies', 'ExternalSecretBinding', 'GitOpsApplication', 'GitOpsProject', 'HardenedDeployment',
    'HardenedNamespace', 'rule pack (HB-NET-004)', 'rule pack (HB-NS-004)', 'rule pack (HB-NS-005)',
  ]);
});
