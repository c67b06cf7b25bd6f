import { KubeObject } from '../synth/manifest';

/** How bad a finding is: an unsuppressed ERROR fails synth; a WARN is reported (the hardening roadmap). */
export type RuleLevel = 'ERROR' | 'WARN';

/** One violation a rule found on one object, granular enough that a suppression can name it alone. */
export interface RuleFinding {
  /**
   * What exactly is wrong, as bracketed `[key:value]` parts: `[verb:*]`, `[resource:secrets]`,
   * `[container:app][limits.cpu]`. Stable across synths: suppressions match it verbatim.
   */
  readonly finding: string;
  /** A sentence for humans: what was found where (never a secret value). */
  readonly detail: string;
  /**
   * The exemption that covers this finding (see {@link Rule.exemption}). With `subject`, the annotation must
   * hold an entry for that subject: constructs list several subjects of one kind in one annotation as
   * `subject: reason; other: reason` (e.g. `exemption.hostpath` = `workspace-src: ...; skills: ...`).
   * @default - the rule's exemption, for the whole object
   */
  readonly exemption?: { readonly what: string; readonly subject?: string };
}

/** What a rule may read besides the object it checks: the whole synthesized set. */
export interface RuleContext {
  /** Every object of the synth, in file order. */
  readonly objects: readonly KubeObject[];
  /** The objects of `kind` (in `namespace`, when given). */
  ofKind(kind: string, namespace?: string): readonly KubeObject[];
}

/**
 * Wraps `compute` so that it runs once per rule run (per {@link RuleContext}) and every check of that run shares
 * its result: an index over the whole synthesized set, where looking at every other object from each object
 * would make a rule quadratic.
 */
export function perRun<T>(compute: (context: RuleContext) => T): (context: RuleContext) => T {
  const results = new WeakMap<RuleContext, T>();
  return (context) => {
    if (!results.has(context)) results.set(context, compute(context));
    return results.get(context)!;
  };
}

/**
 * A check over the final objects (after `toJson()`), in the style of cdk-nag: a stable id, a level, what
 * it checks, why it matters and how to fix it. `check` is pure and sees every object of the synth, so the
 * rule covers whatever produced the object (constructs, escape hatches, included YAML).
 */
export interface Rule {
  /** Stable id, e.g. `HB-NET-001`. Suppressions, annotations and the report refer to it. */
  readonly id: string;
  /** ERROR fails synth unless suppressed (where allowed); WARN is reported. */
  readonly level: RuleLevel;
  /** What it checks, in a few words. */
  readonly title: string;
  /** Why it matters. */
  readonly why: string;
  /** How to fix a finding. */
  readonly fix: string;
  /**
   * Whether a reasoned suppression may silence it.
   * @default - true for WARN, false for ERROR
   */
  readonly suppressible?: boolean;
  /**
   * Whether an upstream chart default may be accepted (see `SuppressionProps.upstreamDefault`) although
   * the rule is not otherwise suppressible: false for what no chart may ever render through values
   * (e.g. a binding to cluster-admin).
   * @default true
   */
  readonly upstreamAcceptable?: boolean;
  /**
   * The construct-level exemption this rule honours: an object (or its pod template) annotated
   * `baseline.homelab.dev/exemption.<exemption>` with a written reason has its findings of this rule
   * reported as exempted rather than failing. A finding may narrow it to one subject's entry (see
   * {@link RuleFinding.exemption}): the workload rules exempt per container or per volume, never a whole object.
   * An exemption is a suppression written by a construct (which validated the reason), so only a suppressible
   * rule may honour one.
   * @default - none
   */
  readonly exemption?: string;
  /** The findings on `object`; an empty list means compliant. Throwing counts as an ERROR finding. */
  check(object: KubeObject, context: RuleContext): readonly RuleFinding[];
}

/** A rule without its check: what rule factories take. */
export type RuleText = Omit<Rule, 'check'>;

/** Whether `rule` may be suppressed (see {@link Rule.suppressible}). */
export function isSuppressible(rule: Rule): boolean {
  return rule.suppressible ?? rule.level === 'WARN';
}
