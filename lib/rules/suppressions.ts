import { IConstruct } from 'constructs';
import { fail } from '../errors';
import { RiskLevel, validateRiskLevel } from '../risk-level';
import { validateReason } from '../validate';

/** What one suppression silences and why. */
export interface SuppressionProps {
  /** The rule id, e.g. `HB-RBAC-005`. */
  readonly id: string;
  /**
   * One finding of that rule, verbatim as the report prints it (e.g. `[resource:secrets]`).
   * @default - every finding of the rule on the objects under the scope
   */
  readonly finding?: string;
  /** Why the finding is an accepted risk: emitted as an annotation and listed in the report. */
  readonly reason: string;
  /** How bad the accepted risk is: shown in the report's risk register. */
  readonly severity: RiskLevel;
  /**
   * The finding is an upstream chart default on a rendered chart's objects: it may then be accepted even
   * for an ERROR rule that is otherwise not suppressible (but never for one with `upstreamAcceptable: false`),
   * and only where the suppression is bound to a rendered chart.
   * @default false
   */
  readonly upstreamDefault?: boolean;
}

/** A suppression bound to a construct path: it covers every object at or under that path. */
export interface Suppression extends SuppressionProps {
  /** The construct path of the scope it was added to ('' for the root). */
  readonly scope: string;
}

const RULE_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;
const FINDING = /^(\[[^\]]+\])+$/;
const registry = new WeakMap<IConstruct, Suppression[]>();

/**
 * Reasoned suppressions of rule findings, bound to a construct (all objects under it) or to one object.
 * The rule pack refuses a suppression that matches nothing and one of a rule that cannot be suppressed.
 */
export class Suppressions {
  /** Suppresses rule `id` (or one of its findings) on every object at or under `scope`. */
  public static add(scope: IConstruct, props: SuppressionProps): void {
    if (typeof props.id !== 'string' || !RULE_ID.test(props.id)) {
      fail(scope, {
        problem: 'invalid rule id in suppression',
        value: props.id,
        allowed: 'a rule id such as "HB-RBAC-005" (see the rule report)',
        fix: 'copy the id from the finding you mean to suppress',
      });
    }
    if (props.finding !== undefined && !FINDING.test(props.finding)) {
      fail(scope, {
        problem: 'invalid finding in suppression',
        value: props.finding,
        allowed: 'a finding as the report prints it, e.g. "[resource:secrets]" or "[container:app][limits.cpu]"',
        fix: 'copy the finding from the report, or omit `finding` to suppress the whole rule on this scope',
      });
    }
    const reason = validateReason(scope, `suppression of ${props.id}`, props.reason);
    const severity = validateRiskLevel(scope, `suppression of ${props.id}`, props.severity);
    const list = registry.get(scope) ?? [];
    if (list.some((s) => s.id === props.id && s.finding === props.finding)) {
      fail(scope, {
        problem: 'duplicate suppression',
        value: `${props.id}${props.finding ?? ''}`,
        allowed: 'each rule and finding suppressed at most once per scope',
        fix: 'remove the second one',
      });
    }
    list.push({ id: props.id, finding: props.finding, reason, severity, scope: scope.node.path, ...(props.upstreamDefault ? { upstreamDefault: true } : {}) });
    registry.set(scope, list);
  }

  /** Every suppression added under `root`, in tree order (the order they are matched in). */
  public static collect(root: IConstruct): Suppression[] {
    return root.node.findAll().flatMap((c) => registry.get(c) ?? []);
  }
}

/** True when an object at `constructPath` lies at or under the suppression's scope. */
export function covers(s: Suppression, constructPath: string): boolean {
  return s.scope === '' || constructPath === s.scope || constructPath.startsWith(`${s.scope}/`);
}
