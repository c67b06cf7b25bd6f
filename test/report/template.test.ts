import { AggregateBaselineError } from '../../lib';
import { REQUIRE_ALL_SECTIONS, fillTemplate, markerPair } from '../../lib/report/template';

const sections = new Map([
  ['a', '| x |'],
  ['b', 'text'],
]);
const fill = (template: string) => fillTemplate(template, sections, 't.md');
const problems = (template: string): string[] => {
  try {
    fill(template);
  } catch (e) {
    expect(e).toBeInstanceOf(AggregateBaselineError);
    return [...(e as AggregateBaselineError).errors];
  }
  throw new Error('expected the template to be refused');
};

describe('fillTemplate', () => {
  test('puts each section between its markers, keeps the prose, and replaces stale content', () => {
    const out = fill(`# Title\n${markerPair('a')}\nprose\n<!-- generated:b -->\nstale\n<!-- /generated:b -->\nend\n`);
    expect(out).toBe('# Title\n<!-- generated:a -->\n| x |\n<!-- /generated:a -->\nprose\n<!-- generated:b -->\ntext\n<!-- /generated:b -->\nend\n');
    expect(fill(out)).toBe(out); // filling a filled document changes nothing
  });

  test('fails if the template has a marker the generator does not know', () => {
    expect(problems(`${markerPair('a')}\n${markerPair('b')}\n${markerPair('zzz')}`)).toEqual([
      '[t.md] unknown generated section in the template: "zzz". Allowed: a, b. Fix: correct the id, or remove the marker pair',
    ]);
  });

  test('fails if a generated section has no marker and the template requires every section', () => {
    expect(problems(`${REQUIRE_ALL_SECTIONS}\n${markerPair('a')}`)).toEqual([
      `[t.md] generated section has no marker in the template: "b". Allowed: every section the generator produces placed once (the template says ${REQUIRE_ALL_SECTIONS}). Fix: add this where the table belongs:\n${markerPair('b')}`,
    ]);
  });

  test('leaves out a section without a marker when the template does not require every section', () => {
    expect(fill(`# Only a\n${markerPair('a')}\n`)).toBe('# Only a\n<!-- generated:a -->\n| x |\n<!-- /generated:a -->\n');
  });

  test('prose that quotes the switch inside a line does not require every section', () => {
    const template = `Add \`${REQUIRE_ALL_SECTIONS}\` to require them all.\n${markerPair('a')}\n`;
    expect(fill(template)).toContain('| x |');
    expect(problems(`  ${REQUIRE_ALL_SECTIONS}\n${template}`)).toHaveLength(1);
  });

  test('fails on a duplicate, an unclosed, a stray closing and a malformed marker, listing all at once', () => {
    const found = problems(`${markerPair('a')}\n${markerPair('a')}\n<!-- /generated:b -->\n<!-- generated:B -->\n<!-- generated:b -->\n`);
    expect(found).toEqual([
      '[t.md] malformed generated-section marker: "<!-- generated:B -->". Allowed: `<!-- generated:<id> -->` and `<!-- /generated:<id> -->`, ids in lower case. Fix: write the marker exactly in that form',
      '[t.md] generated section appears twice in the template: "a". Allowed: each section once. Fix: remove the second marker pair',
      '[t.md] closing marker without its opening marker: "b". Allowed: a close right after its open. Fix: add <!-- generated:b --> before it, or remove it',
      '[t.md] generated section is never closed: "b". Allowed: every opening marker followed by its closing marker. Fix: add <!-- /generated:b -->',
    ]);
  });

  test('fails on a section opened inside another', () => {
    expect(problems('<!-- generated:a -->\n<!-- generated:b -->\n<!-- /generated:b -->\n<!-- /generated:a -->')).toContain(
      '[t.md] generated section opened inside another: "b". Allowed: close "a" first. Fix: add <!-- /generated:a --> before it',
    );
  });
});
