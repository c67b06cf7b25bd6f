import { IConstruct } from 'constructs';
import { fail } from './errors';

/**
 * How bad it is if a permission, an exemption or a suppressed finding is abused: a closed set, lowest first,
 * so reports can sort and compare them.
 */
export type RiskLevel = 'minimal' | 'low' | 'medium' | 'high' | 'critical';

/** Every {@link RiskLevel}, lowest first. */
export const RISK_LEVELS: readonly RiskLevel[] = ['minimal', 'low', 'medium', 'high', 'critical'];

/** A risk level and, optionally, what the abuse would look like ("can restart any deployment"). */
export interface Risk {
  readonly level: RiskLevel;
  /**
   * What an abuse could do, in a few words.
   * @default - the level alone
   */
  readonly note?: string;
}

/** `Medium`, for tables. */
export function riskLevelLabel(level: RiskLevel): string {
  return level.charAt(0).toUpperCase() + level.slice(1);
}

/** `medium` or `medium: can restart any deployment`: the annotation form, read back by {@link parseRisk}. */
export function formatRisk(risk: Risk): string {
  return risk.note ? `${risk.level}: ${risk.note}` : risk.level;
}

/** The inverse of {@link formatRisk}; undefined when `text` does not start with a known level. */
export function parseRisk(text: string | undefined): Risk | undefined {
  const m = /^([a-z]+)(?::\s*([\s\S]*))?$/.exec(text?.trim() ?? '');
  if (!m || !(RISK_LEVELS as readonly string[]).includes(m[1])) return undefined;
  return m[2] ? { level: m[1] as RiskLevel, note: m[2] } : { level: m[1] as RiskLevel };
}

/** `Medium — can restart any deployment`, for tables. */
export function riskText(risk: Risk): string {
  return risk.note ? `${riskLevelLabel(risk.level)} — ${risk.note}` : riskLevelLabel(risk.level);
}

/** Refuses a level outside {@link RISK_LEVELS} (input that did not go through the type checker). */
export function validateRiskLevel(scope: IConstruct, what: string, level: unknown): RiskLevel {
  if (!(RISK_LEVELS as readonly unknown[]).includes(level)) {
    fail(scope, {
      problem: `${what} needs a risk level`,
      value: level,
      allowed: RISK_LEVELS.join(', '),
      fix: 'say how bad an abuse would be, e.g. "low" for read-only access',
    });
  }
  return level as RiskLevel;
}
