import { baselineRules, isSuppressible } from '../../../lib';

/**
 * The rule inventory, written as expected data: a rule cannot silently disappear, be renamed, be downgraded
 * to WARN or become suppressible without this list changing in review.
 */
const INVENTORY: readonly [id: string, level: 'ERROR' | 'WARN', suppressible: boolean, exemption?: string][] = [
  ['HB-NS-001', 'ERROR', false],
  ['HB-NS-002', 'WARN', true],
  ['HB-NS-003', 'ERROR', false],
  ['HB-NS-006', 'ERROR', false],
  ['HB-NS-004', 'ERROR', false],
  ['HB-NS-005', 'ERROR', false],
  ['HB-NET-001', 'ERROR', false],
  ['HB-NET-002', 'ERROR', false],
  ['HB-NET-003', 'ERROR', true],
  ['HB-NET-004', 'ERROR', false],
  ['HB-NET-005', 'ERROR', false],
  ['HB-SVC-001', 'ERROR', true],
  ['HB-SVC-002', 'ERROR', false],
  ['HB-SVC-003', 'ERROR', true],
  ['HB-SVC-004', 'ERROR', false],
  ['HB-RBAC-001', 'ERROR', false],
  ['HB-RBAC-002', 'ERROR', false],
  ['HB-RBAC-003', 'ERROR', false],
  ['HB-RBAC-004', 'ERROR', false],
  ['HB-RBAC-005', 'WARN', true],
  ['HB-RBAC-006', 'WARN', true],
  ['HB-RBAC-007', 'ERROR', false],
  ['HB-RBAC-008', 'WARN', true],
  ['HB-RBAC-009', 'ERROR', false],
  ['HB-RBAC-010', 'ERROR', false],
  ['HB-RBAC-011', 'ERROR', false],
  ['HB-RBAC-012', 'ERROR', false],
  ['HB-RBAC-013', 'WARN', true],
  ['HB-RBAC-014', 'WARN', true],
  ['HB-SEC-001', 'ERROR', false],
  ['HB-OBJ-001', 'ERROR', false],
  ['HB-POD-001', 'ERROR', true],
  ['HB-POD-002', 'ERROR', true],
  ['HB-POD-003', 'ERROR', true],
  ['HB-POD-004', 'ERROR', true],
  ['HB-POD-005', 'ERROR', false],
  ['HB-POD-006', 'ERROR', true],
  ['HB-POD-007', 'ERROR', true],
  ['HB-POD-008', 'WARN', true, 'writable-root-filesystem'],
  ['HB-POD-009', 'ERROR', true, 'hostpath'],
  ['HB-POD-010', 'ERROR', true, 'unpinned-image'],
  ['HB-POD-011', 'ERROR', true],
  ['HB-POD-012', 'ERROR', false],
  ['HB-POD-013', 'WARN', true],
  ['HB-POD-014', 'ERROR', true],
  ['HB-POD-015', 'ERROR', true],
  ['HB-POD-016', 'ERROR', true],
  ['HB-POD-017', 'ERROR', true],
  ['HB-POD-018', 'ERROR', true],
  ['HB-POD-019', 'ERROR', true],
  ['HB-POD-020', 'ERROR', true],
  ['HB-POD-021', 'ERROR', true],
  ['HB-POD-022', 'ERROR', true],
  ['HB-POD-023', 'ERROR', true],
  ['HB-ARGO-001', 'ERROR', false],
  ['HB-ARGO-002', 'ERROR', false],
  ['HB-ARGO-003', 'ERROR', false],
  ['HB-ARGO-004', 'ERROR', false],
  ['HB-ARGO-005', 'ERROR', false],
  ['HB-ARGO-006', 'ERROR', true],
  ['HB-ARGO-007', 'ERROR', false],
  ['HB-ARGO-008', 'ERROR', false],
  ['HB-ESO-001', 'ERROR', true],
  ['HB-ESO-002', 'ERROR', false],
];

test('the rule pack is exactly the inventory: ids, levels, suppressibility, exemptions', () => {
  const actual = baselineRules().map((r) => {
    const row: unknown[] = [r.id, r.level, isSuppressible(r)];
    if (r.exemption) row.push(r.exemption);
    return row;
  });
  expect(actual).toEqual(INVENTORY);
});

test('every rule says what it checks, why it matters and how to fix it', () => {
  for (const r of baselineRules()) {
    expect([r.id, r.title.length > 10, r.why.length > 40, r.fix.length > 20]).toEqual([r.id, true, true, true]);
  }
});
