import { ANNOTATION_PREFIX, decodeEntries } from '../annotations';
import { suppressionAnnotation } from '../rules/engine';
import { Check, Note, change, widening } from './finding';

const SUPPRESSION_PREFIX = suppressionAnnotation('');

/**
 * Suppressions and exemptions: every annotation under `baseline.homelab.dev/` records why a control was
 * relaxed. A new one (or a new subject or finding in a list of them) is a widening; a reworded reason is a change.
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
  return key.startsWith(SUPPRESSION_PREFIX) ? 'suppression' : 'exemption';
}

/** A value on one line, quoted: reasons may span lines. */
function quote(value: string): string {
  return `"${value.replace(/\s*\n\s*/g, ' / ')}"`;
}

function ours(annotations: Record<string, string> | undefined): Map<string, string> {
  return new Map(Object.entries(annotations ?? {}).filter(([k]) => k.startsWith(`${ANNOTATION_PREFIX}/`)));
}

/**
 * For an annotation that lists entries (the findings of a suppression; the subjects of an exemption, e.g. the
 * volumes of `exemption.hostpath`): the entries new in `now`. Undefined when either value is a plain reason.
 */
function newEntries(was: string, now: string): string[] | undefined {
  const [a, b] = [decodeEntries(was), decodeEntries(now)];
  return a.size && b.size ? [...b.keys()].filter((e) => !a.has(e)) : undefined;
}
