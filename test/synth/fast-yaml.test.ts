import * as fc from 'fast-check';
import { parse } from 'yaml';
import { buildHomelab } from '../../homelab';
import { fastYaml, libraryYaml } from '../../lib/synth/fast-yaml';
import { buildSynthetic } from '../../scripts/bench/synthetic';
import { synthManifests } from '../util';

// fastYaml must write exactly the library's bytes whenever it writes anything: dist/ is compared byte for
// byte in CI, so one differing quote would show up as a change in every PR.
const library = libraryYaml;

const TRICKY = [
  '', '-', '- a', '?', '? a', ':a', 'a:b', 'a: b', 'a:', 'a #b', 'a#b', '#a', ' lead', 'trail ', 'true', 'True', 'FALSE', 'null',
  'Null', '~', '0', '-1', '+1', '007', '0x1F', '0o17', '1e3', '-2.5E-3', '.5', '1.', '.inf', '-.Inf', '.nan', '---', '--- a', '...',
  '%YAML', "it's", 'say "hi"', 'a\\b', 'tab\there', 'new\nline', 'é', '→ arrow', '\u0085', '[x]', '{x}', '*a', '&a', '!a', '|', '>',
  '@a', '`a', ',a', "'a'", '"a"', 'http://infisical.svc:8080/api', '100.64.0.0/10', 'v1.28', 'app.kubernetes.io/name', '1h',
  '[verb:patch], [verb:create]: reason; [x]: other', 'x'.repeat(1100), 'on', 'Off', 'yes', 'N', 'y', '0b101', '1_000', '1_0.5',
  // Multi-line: block literals (clip, strip) and every way out of them.
  'a\nb', 'a\nb\n', 'a\n\nb\n', 'a\nb\n\n', '\na', ' a\nb', 'a \nb', 'a\nb ', 'a\nb \n', 'a\n  \nb', 'a\n ', 'a\n\t',
  'a\n  indented\n', 'a: b\nc # d\n', '- a\n- b', '---\na', 'a\n---\nb\n', 'a\n...\n', '%a\nb', 'true\nfalse', '\ta\nb', 'a\tb\nc',
  'a\r\nb', 'a\u0007\nb', '{"[a]":"b c"}', '{"a":"it\'s"}', '"a" b', 'a "b"', '- "a"', '"a\\b"', '\\u0041', ' \\n', '"it\'s" \\ x', '"q"\n\'s\'', 'é\n→\n', 'x'.repeat(1100) + '\n' + 'y'.repeat(50),
];
const text = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 12 }),
  { arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9./: -]{0,20}$/), weight: 4 },
  fc.stringMatching(/^[a-z #:-]{0,6}(\n[ a-z#:-]{0,6}){1,3}\n{0,2}$/),
);
// Mostly what the fast path takes, with enough of the rest to prove it steps aside.
const leaf = fc.oneof(
  { arbitrary: text, weight: 12 },
  { arbitrary: fc.integer(), weight: 3 },
  { arbitrary: fc.boolean(), weight: 2 },
  fc.double(),
  fc.constant(null),
  fc.constant(-0),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(text, tie('node'), { maxKeys: 5 }),
})).node;

test('on generated data, whatever fastYaml writes is exactly what the yaml library writes', () => {
  let fastRuns = 0;
  fc.assert(
    fc.property(fc.dictionary(text, value, { minKeys: 1, maxKeys: 6 }), (o) => {
      const fast = fastYaml(o);
      if (fast === undefined) return;
      fastRuns++;
      expect(fast).toBe(library(o));
    }),
    { numRuns: 4000 },
  );
  expect(fastRuns).toBeGreaterThan(150); // the property must exercise the fast path, not only the fallback
});

test('everything the homelab and the bench workload synthesize: same bytes, and nearly all on the fast path', () => {
  const objects = [...synthManifests((app) => buildHomelab(app)), ...synthManifests((app) => buildSynthetic(app, 3))].map((m) => m.object);
  let fast = 0;
  for (const o of objects) {
    const written = fastYaml(o);
    if (written === undefined) continue;
    fast++;
    expect(written).toBe(library(o));
  }
  expect(fast / objects.length).toBeGreaterThan(0.8);
});

test('what it does not handle it leaves to the library', () => {
  for (const o of [{ a: 'tab\u0007' }, { a: ' lead\nline' }, { a: 'kept\n\n' }, { ['new\nline']: 1 }, { a: 1.5 }, { a: null }, { a: new Date(0) }, { ['k'.repeat(1100)]: 1 }]) {
    expect(fastYaml(o)).toBeUndefined();
  }
  // A multi-line value it does handle: a block literal at the value's indentation.
  expect(fastYaml({ a: { b: ['x\n\ny\n', 'z\nw'] } })).toBe('a:\n  b:\n    - |\n      x\n\n      y\n    - |-\n      z\n      w\n');
  expect(fastYaml({ a: [], b: {}, c: [{}], d: '-1', e: ': x' })).toBe('a: []\nb: {}\nc:\n  - {}\nd: "-1"\ne: ": x"\n');
});

test.each(['on', 'off', 'yes', 'No', 'y', 'N', '0b101', '1_000', '12_3.4', '.5_0', 'true', '0755', 'plain'])(
  '%s reads back as the same string under YAML 1.1 (kubectl, ArgoCD) and 1.2, on both paths',
  (s) => {
    for (const o of [{ label: s, [s]: 1 }, { label: s, multi: 'line\nbreak' }]) {
      const text = fastYaml(o) ?? libraryYaml(o);
      expect(parse(text, { version: '1.1' })).toEqual(o);
      expect(parse(text)).toEqual(o);
    }
  },
);
