import { IConstruct } from 'constructs';
import { fail } from './errors';

/** A naming rule of the API server: what matches, how long it may be, how to say it, and a fix for a bad value. */
interface NameRule {
  readonly pattern: RegExp;
  readonly maxLength: number;
  readonly allowed: string;
  readonly suggest: (value: unknown) => string;
}

const DNS_1123_LABEL: NameRule = {
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  maxLength: 63,
  allowed: 'a DNS-1123 label: 1-63 lower-case letters, digits or "-", starting and ending with a letter or digit',
  suggest: suggestLabel,
};

const DNS_1035_LABEL: NameRule = {
  pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
  maxLength: 63,
  allowed: 'a DNS-1035 label: 1-63 lower-case letters, digits or "-", starting with a letter and ending with a letter or digit',
  suggest: (value) => suggestLabel(String(value ?? '').replace(/^[^A-Za-z]+/, '')),
};

const DNS_1123_SUBDOMAIN: NameRule = {
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  maxLength: 253,
  allowed: 'a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", at most 253 characters',
  suggest: suggestLabel,
};

/** The name part of a label key, and a non-empty label value (Kubernetes' "qualified name"). */
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_KEY_ALLOWED =
  'an optional DNS-1123 subdomain prefix (at most 253 characters) and "/", then a name of 1-63 letters, digits, "-", "_" or ".", ' +
  'starting and ending with a letter or digit';
const LABEL_VALUE_ALLOWED = 'empty, or 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';

/** The shortest reason accepted for an exemption: long enough that it has to say something. */
export const MIN_REASON_LENGTH = 20;

/**
 * Checks a DNS-1123 label (namespace and most other names): lower-case alphanumerics and '-', at most 63
 * characters, starting and ending alphanumeric. `fix` replaces the default "rename it" (e.g. for a name the
 * library derived, which the user never chose).
 */
export function validateDnsLabel(scope: IConstruct, what: string, value: string, fix?: string): string {
  return validateName(scope, what, value, DNS_1123_LABEL, fix);
}

/** Checks a DNS-1035 label (Service names): a DNS-1123 label that starts with a letter. */
export function validateDns1035Label(scope: IConstruct, what: string, value: string, fix?: string): string {
  return validateName(scope, what, value, DNS_1035_LABEL, fix);
}

/** Checks a DNS-1123 subdomain (the name of most objects): at most 253 characters of dot-separated labels. */
export function validateDnsSubdomain(scope: IConstruct, what: string, value: string): string {
  return validateName(scope, what, value, DNS_1123_SUBDOMAIN);
}

/**
 * Checks labels as the API server does (metadata.labels and selectors' matchLabels): each key an optional
 * DNS subdomain prefix and "/" before a name of at most 63 characters, each value empty or such a name.
 * `what` names them in the message, e.g. "label" or "pod selector label".
 */
export function validateLabels(scope: IConstruct, what: string, labels: Readonly<Record<string, string>> | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.indexOf('/');
    const prefix = slash < 0 ? undefined : key.slice(0, slash);
    const name = slash < 0 ? key : key.slice(slash + 1);
    const prefixOk = prefix === undefined || (prefix.length <= DNS_1123_SUBDOMAIN.maxLength && DNS_1123_SUBDOMAIN.pattern.test(prefix));
    if (!prefixOk || !isQualifiedName(name)) {
      const suggestion = `${prefix === undefined ? '' : `${suggestLabel(prefix)}/`}${suggestQualifiedName(name) || 'name'}`;
      fail(scope, { problem: `invalid ${what} key`, value: key, allowed: LABEL_KEY_ALLOWED, fix: `rename it, e.g. ${JSON.stringify(suggestion)}` });
    }
    if (typeof value !== 'string' || (value !== '' && !isQualifiedName(value))) {
      fail(scope, {
        problem: `invalid value of ${what} "${key}"`,
        value,
        allowed: LABEL_VALUE_ALLOWED,
        fix: `change it, e.g. to ${JSON.stringify(suggestQualifiedName(value))}`,
      });
    }
  }
}

/**
 * The longest reason accepted: a paragraph. Reasons become annotations (one per exemption or suppressed rule,
 * a list of them at most a few dozen entries), and the API server refuses an object whose annotations total
 * more than 256 KiB at sync time, long after review; at 1000 characters even a hundred of them stay far below.
 */
export const MAX_REASON_LENGTH = 1000;

/** Control characters and invisible format characters (zero-width spaces and joiners, bidi overrides, BOM). */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u;
/** What a reason must not start with: a placeholder, whatever punctuation or case surrounds it. */
const PLACEHOLDER = /^[\s\p{P}\p{S}]*(todo|tbd|tbc|fixme|xxx|wip|n\/?a|none|placeholder|lorem)(?![\p{L}\p{N}])/iu;
/** Words of at least two letters: a reason is a sentence, not 20 dots or a run of one character. */
const WORD = /\p{L}{2,}/gu;

/**
 * What is wrong with `reason`, or undefined when it says something: after Unicode NFKC normalisation
 * (so look-alike and full-width letters cannot dodge the placeholder check), no control or invisible
 * characters, between {@link MIN_REASON_LENGTH} and {@link MAX_REASON_LENGTH} characters, at least three
 * words, and not a placeholder ("todo", "tbd", "n/a", ...).
 */
export function reasonProblem(reason: string | undefined): string | undefined {
  if (typeof reason !== 'string') return 'no reason';
  if (INVISIBLE.test(reason)) return 'it holds control or invisible characters (zero-width, bidi, BOM)';
  const text = reason.normalize('NFKC').trim();
  if (text.length < MIN_REASON_LENGTH) return `it is shorter than ${MIN_REASON_LENGTH} characters`;
  if (text.length > MAX_REASON_LENGTH) return `it is longer than ${MAX_REASON_LENGTH} characters (${text.length})`;
  if (PLACEHOLDER.test(text)) return 'it is a placeholder';
  if ((text.match(WORD) ?? []).length < 3) return 'it has fewer than three words';
  return undefined;
}

/**
 * Checks that an exemption carries a real written reason and returns it NFKC-normalised. Reasons are
 * emitted into the YAML and the report, so "TODO", an empty string or invisible text would hide a weakening
 * behind a formality.
 */
export function validateReason(scope: IConstruct | string, what: string, reason: string | undefined): string {
  const problem = reasonProblem(reason);
  if (problem) {
    fail(scope, {
      problem: `${what} needs a written reason`,
      value: typeof reason === 'string' && reason.length > 120 ? `${reason.slice(0, 120)}... (${reason.length} characters)` : reason,
      allowed:
        `a sentence of at least ${MIN_REASON_LENGTH} characters saying why the exemption is needed (at most ` +
        `${MAX_REASON_LENGTH}, printable characters only, not a placeholder; this one fails because ${problem})`,
      fix: 'pass `reason: "..."` explaining why, or remove the exemption',
    });
  }
  return reason!.normalize('NFKC').trim();
}

/**
 * Whether `reason` says something (see {@link reasonProblem}). The rule pack applies the same test to
 * hand-written exemption annotations that never went through a construct.
 */
export function isValidReason(reason: string | undefined): boolean {
  return reasonProblem(reason) === undefined;
}

/** The shortest purpose accepted for a grant or a secret key ("Remove stuck pods"). */
export const MIN_PURPOSE_LENGTH = 10;

/**
 * Checks that a grant or a secret key says what it is for: the report's tables show it next to the
 * permission or key, so an empty string or "TODO" would leave a row unexplained.
 */
export function validatePurpose(scope: IConstruct, what: string, purpose: string | undefined, example: string): string {
  const text = typeof purpose === 'string' ? purpose.trim() : '';
  if (text.length < MIN_PURPOSE_LENGTH || /^(todo|tbd|fixme|n\/?a|none)\b/i.test(text)) {
    fail(scope, {
      problem: `${what} needs a purpose`,
      value: purpose,
      allowed: `a phrase of at least ${MIN_PURPOSE_LENGTH} characters saying what it is for, no placeholder`,
      fix: `pass \`purpose: "..."\`, e.g. ${JSON.stringify(example)}`,
    });
  }
  return text;
}

function validateName(scope: IConstruct, what: string, value: string, rule: NameRule, fix?: string): string {
  if (typeof value !== 'string' || value.length > rule.maxLength || !rule.pattern.test(value)) {
    fail(scope, { problem: `invalid ${what}`, value, allowed: rule.allowed, fix: fix ?? `rename it, e.g. ${JSON.stringify(rule.suggest(value))}` });
  }
  return value;
}

function isQualifiedName(value: string): boolean {
  return value.length <= 63 && QUALIFIED_NAME.test(value);
}

function suggestQualifiedName(value: unknown): string {
  const s = String(value ?? '').replace(/[^-A-Za-z0-9_.]+/g, '-').slice(0, 63);
  return s.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

function suggestLabel(value: unknown): string {
  const s = String(value ?? '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return (s || 'name').slice(0, 63).replace(/-+$/, '');
}

/**
 * The candidate closest to `value` by edit distance, if it is close enough to be a likely typo (at most a
 * third of the length, and at most 3 edits): the "did you mean ...?" of an error message.
 */
export function nearestName(value: string, candidates: Iterable<string>): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(value, name);
    if (!best || distance < best.distance || (distance === best.distance && name < best.name)) best = { name, distance };
  }
  return best && best.distance <= Math.min(3, Math.ceil(value.length / 3)) ? best.name : undefined;
}

/** `did you mean "x"?` for a message, or '' when nothing is close. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const near = nearestName(value, candidates);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
