/** Reasons are sound: normalised, printable, bounded, not placeholders; lists of them are structured. */
import { decodeEntries, encodeEntries, exemptionReason } from '../lib/annotations';
import { MAX_REASON_LENGTH, isValidReason, reasonProblem, validateReason } from '../lib/validate';

const GOOD = 'node-exporter needs the host network namespace';

describe('reasonProblem', () => {
  test('a real sentence passes and is returned NFKC-normalised', () => {
    expect(reasonProblem(GOOD)).toBeUndefined();
    expect(validateReason('test', 'x', '  \uff4eode-exporter needs the host network  ')).toBe('node-exporter needs the host network');
  });
  test.each([
    ['zero-width only', '\u200b'.repeat(30), /invisible/],
    ['zero-width-prefixed todo', '\u200bTODO: explain why node-exporter needs it', /invisible/],
    ['a BOM', `\ufeff${GOOD}`, /invisible/],
    ['a bidi override', `node-exporter \u202eneeds the host network`, /invisible/],
    ['a control character', `node-exporter\u0007 needs the host network`, /invisible/],
    ['a line break', `node-exporter needs\nthe host network`, /invisible/],
    ['full-width TODO (NFKC)', '\uff34\uff2f\uff24\uff2f explain why node-exporter needs it', /placeholder/],
    ['punctuated tbd', '-- tbd --, to be written up by the operator', /placeholder/],
    ['n/a', 'N/A: this does not apply to the service', /placeholder/],
    ['too short', 'host network', /shorter than 20/],
    ['no words', '.'.repeat(30), /fewer than three words/],
    ['too long', 'node-exporter needs the host network. '.repeat(30), new RegExp(`longer than ${MAX_REASON_LENGTH}`)],
  ])('%s is refused', (_, reason, problem) => {
    expect(reasonProblem(reason)).toMatch(problem);
    expect(isValidReason(reason)).toBe(false);
    expect(() => validateReason('scope', 'Pod Security enforce=baseline', reason)).toThrow(/\[scope\] Pod Security enforce=baseline needs a written reason: .*Allowed: .*this one fails because/);
  });
  test('a 300 kB reason is refused with a short message (not echoed whole)', () => {
    const huge = 'node-exporter needs the host network. '.repeat(8000);
    let message = '';
    try {
      validateReason('scope', 'x', huge);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/longer than 1000 characters/);
    expect(message.length).toBeLessThan(1000);
  });
});

describe('list annotations (subject or finding → reason) are JSON', () => {
  test('encoded with sorted keys; decoded back', () => {
    const value = encodeEntries([['workspace-src', 'agent files, read-only; no credentials'], ['docs', 'the docs folder, read-only']]);
    expect(value).toBe('{"docs":"the docs folder, read-only","workspace-src":"agent files, read-only; no credentials"}');
    expect([...decodeEntries(value)]).toEqual([['docs', 'the docs folder, read-only'], ['workspace-src', 'agent files, read-only; no credentials']]);
  });
  test('no reason text can split into a second entry', () => {
    const value = encodeEntries([['src', 'agent files, read-only; docker-sock: the runtime socket for image builds']]);
    const annotations = { 'baseline.homelab.dev/exemption.hostpath': value };
    expect(exemptionReason(annotations, 'hostpath', 'docker-sock')).toBeUndefined();
    expect(exemptionReason(annotations, 'hostpath', 'src')).toBe('agent files, read-only; docker-sock: the runtime socket for image builds');
  });
  test('a plain or malformed value has no entries, so it exempts no subject', () => {
    for (const v of ['src: agent files, read-only, no credentials', '{"src": 1}', '["src"]', '{']) expect(decodeEntries(v).size).toBe(0);
  });
});
