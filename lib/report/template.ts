import { AggregateBaselineError, BaselineError } from '../errors';

const MARKER = /<!--\s*(\/?)generated:([a-z0-9-]+)\s*-->/g;
const LOOSE_MARKER = /<!--\s*\/?\s*generated\s*:[^>]*-->/gi;
/** The directive by which a template asks for every section: without it, a section may be left out. */
export const REQUIRE_ALL_SECTIONS = '<!-- require-sections: all -->';

/** The empty marker pair a template holds for section `id`. */
export function markerPair(id: string): string {
  return `<!-- generated:${id} -->\n<!-- /generated:${id} -->`;
}

/**
 * Fills every `<!-- generated:<id> -->` … `<!-- /generated:<id> -->` pair of `template` with the section of
 * that id (whatever stood between the markers is replaced). Refuses, listing every problem at once: a
 * marker the generator does not know, a duplicate, an unclosed or stray marker, a malformed one, and, when
 * the template holds {@link REQUIRE_ALL_SECTIONS}, a section without a marker (otherwise a template may leave
 * sections out, so one generic template fits any homelab). `source` names the template in messages.
 */
export function fillTemplate(template: string, sections: ReadonlyMap<string, string>, source: string): string {
  const errors: string[] = [];
  const problem = (p: string, value: unknown, allowed: string, fix: string) =>
    errors.push(new BaselineError(source, { problem: p, value, allowed, fix }).message);
  const known = [...sections.keys()];

  const strict = [...template.matchAll(MARKER)];
  const loose = [...template.matchAll(LOOSE_MARKER)].filter((m) => !strict.some((s) => s.index === m.index && s[0] === m[0]));
  for (const m of loose) {
    problem('malformed generated-section marker', m[0], '`<!-- generated:<id> -->` and `<!-- /generated:<id> -->`, ids in lower case', 'write the marker exactly in that form');
  }

  const out: string[] = [];
  const seen = new Set<string>();
  let cursor = 0;
  let open: { id: string; end: number } | undefined;
  for (const m of strict) {
    const [text, slash, id] = m;
    const at = m.index!;
    if (!slash) {
      if (open) {
        problem('generated section opened inside another', id, `close "${open.id}" first`, `add <!-- /generated:${open.id} --> before it`);
        continue;
      }
      if (!sections.has(id)) {
        problem('unknown generated section in the template', id, known.join(', '), 'correct the id, or remove the marker pair');
      } else if (seen.has(id)) {
        problem('generated section appears twice in the template', id, 'each section once', 'remove the second marker pair');
      }
      seen.add(id);
      out.push(template.slice(cursor, at + text.length));
      open = { id, end: at + text.length };
      continue;
    }
    if (!open || open.id !== id) {
      problem('closing marker without its opening marker', id, open ? `the close of "${open.id}"` : 'a close right after its open', `add <!-- generated:${id} --> before it, or remove it`);
      continue;
    }
    out.push(`\n${sections.get(id) ?? ''}\n`);
    cursor = at;
    open = undefined;
  }
  if (open) problem('generated section is never closed', open.id, 'every opening marker followed by its closing marker', `add <!-- /generated:${open.id} -->`);
  out.push(template.slice(cursor));

  // The switch counts only on a line of its own: prose that quotes it (as the starter's template does) asks nothing.
  const requireAll = template.split('\n').some((line) => line.trim() === REQUIRE_ALL_SECTIONS);
  for (const id of known) {
    if (requireAll && !seen.has(id)) {
      problem('generated section has no marker in the template', id, `every section the generator produces placed once (the template says ${REQUIRE_ALL_SECTIONS})`, `add this where the table belongs:\n${markerPair(id)}`);
    }
  }
  if (errors.length) throw new AggregateBaselineError(errors);
  return out.join('');
}
