import { IConstruct } from 'constructs';
import { fail } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The shortest reason accepted for an exemption: long enough that it has to say something. */
export const MIN_REASON_LENGTH = 20;

/**
 * Checks a DNS-1123 label (namespace, Service and most other names): lower-case alphanumerics and '-',
 * at most 63 characters, starting and ending alphanumeric.
 */
export function validateDnsLabel(scope: IConstruct, what: string, value: string): string {
  if (typeof value !== 'string' || value.length > 63 || !DNS_LABEL.test(value)) {
    fail(scope, {
      problem: `invalid ${what}`,
      value,
      allowed: 'a DNS-1123 label: 1-63 lower-case letters, digits or "-", starting and ending with a letter or digit',
      fix: `rename it, e.g. ${JSON.stringify(suggestLabel(value))}`,
    });
  }
  return value;
}

/** Checks a DNS-1123 subdomain (the name of most objects): at most 253 characters of dot-separated labels. */
export function validateDnsSubdomain(scope: IConstruct, what: string, value: string): string {
  if (typeof value !== 'string' || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    fail(scope, {
      problem: `invalid ${what}`,
      value,
      allowed: 'a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", at most 253 characters',
      fix: `rename it, e.g. ${JSON.stringify(suggestLabel(value))}`,
    });
  }
  return value;
}

/**
 * Checks that an exemption carries a real written reason. Reasons are emitted into the YAML and the
 * report, so "TODO" or an empty string would hide a weakening behind a formality.
 */
export function validateReason(scope: IConstruct, what: string, reason: string | undefined): string {
  const text = (reason ?? '').trim();
  if (text.length < MIN_REASON_LENGTH || /^(todo|tbd|fixme|n\/?a|none)\b/i.test(text)) {
    fail(scope, {
      problem: `${what} needs a written reason`,
      value: reason,
      allowed: `a sentence of at least ${MIN_REASON_LENGTH} characters saying why the exemption is needed`,
      fix: 'pass `reason: "..."` explaining why, or remove the exemption',
    });
  }
  return text;
}

function suggestLabel(value: unknown): string {
  const s = String(value ?? '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return (s || 'name').slice(0, 63).replace(/-+$/, '');
}
