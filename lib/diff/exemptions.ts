import { ANNOTATION_PREFIX } from '../annotations';
import { Check, Note, change, widening } from './finding';

/**
 * Suppressions and exemptions: every annotation under `baseline.homelab.dev/` records why a control was
 * relaxed. A new one (or a new entry in a list of them) is a widening; a reworded reason is a change.
 */
export const exemptionCheck: Check = (before, after) => {
  if (!after) return [];
  const was = ours(before?.metadata.annotations);
  const now = ours(after.metadata.annotations);
  const notes: Note[] = [];
  for (const [key, value] of now) {
    const what = kindOf(key);
    const old = was.get(key);
    if (old === undefined) {
      notes.push(widening('exemption', `${what} added: ${key} = ${quote(value)}`));
    } else if (old !== value) {
      const added = newEntries(old, value);
      notes.push(added === undefined
        ? change('exemption', `${what} reason changed: ${key} = ${quote(value)} (was ${quote(old)})`)
        : added.length
          ? widening('exemption', `${what} added: ${key} gained ${added.join(', ')}`)
          : change('exemption', `${what} narrowed or reworded: ${key} = ${quote(value)}`));
    }
  }
  for (const key of was.keys()) {
    if (!now.has(key)) notes.push(change('exemption', `${kindOf(key)} removed: ${key}`));
  }
  return notes;
};

function kindOf(key: string): string {
  return key.includes('suppress') ? 'suppression' : 'exemption';
}

/** A value on one line, quoted: reasons may span lines. */
function quote(value: string): string {
  return `"${value.replace(/\s*\n\s*/g, ' / ')}"`;
}

function ours(annotations: Record<string, string> | undefined): Map<string, string> {
  return new Map(Object.entries(annotations ?? {}).filter(([k]) => k.startsWith(`${ANNOTATION_PREFIX}/`)));
}

/**
 * For values that list several suppressed findings (`[verb:patch], [verb:create]: reason; [x]: other`), a
 * JSON list or map, or one `what: reason` per line: the entries new in `now`. Undefined for a plain reason.
 */
function newEntries(was: string, now: string): string[] | undefined {
  let [a, b] = [entries(was), entries(now)];
  if (!a && !b && (was.includes('\n') || now.includes('\n'))) [a, b] = [lines(was), lines(now)];
  return a && b ? b.filter((e) => !a!.includes(e)) : undefined;
}

function entries(text: string): string[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v)) return v.map((e) => JSON.stringify(e));
    if (v && typeof v === 'object') return Object.keys(v);
  } catch {
    // Not JSON: look for bracketed finding ids.
  }
  const ids = text.match(/\[[^\]]+\]/g);
  return ids ? [...new Set(ids)] : undefined;
}

/** One exemption per line, `what: reason`: the `what` is the entry. */
function lines(text: string): string[] {
  return text.split('\n').filter(Boolean).map((line) => line.split(': ')[0]);
}
