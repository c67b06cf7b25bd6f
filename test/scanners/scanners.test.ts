import * as fs from 'fs';
import * as path from 'path';
import { CANARY_YAML, Scanner, scanners } from '../../scripts/scanners/scanners';
import { MIN_REASON_LENGTH } from '../../lib';
import { tempDir } from '../util';

/**
 * Independent cross-check of dist/ (what ArgoCD deploys; `npm run check:dist` proves it is fresh) by
 * widely used scanners. Their findings must equal the reviewed list in accepted-findings.json, where each
 * entry carries the reason it is accepted: a new finding fails, and so does an entry that no longer occurs.
 * `npm run review` (synth, then `UPDATE_SCANNER_FINDINGS=1 npx jest --selectProjects unit test/scanners`)
 * rewrites the list: new entries get an empty reason, which fails until someone writes one, unless the check
 * itself has a reason in `_checks` that holds for every object of the baseline (e.g. tag-pinned images).
 */
const ACCEPTED_FILE = path.join(__dirname, 'accepted-findings.json');
const DIST = path.join(__dirname, '..', '..', 'dist');
const TIMEOUT = 180_000;

type Accepted = Record<string, Record<string, string>> & { _checks?: Record<string, Record<string, string>> };
const accepted: Accepted = JSON.parse(fs.readFileSync(ACCEPTED_FILE, 'utf8'));
const UPDATE_HINT = 'Run `npm run review` (it rewrites test/scanners/accepted-findings.json), then write the reason of each new finding (README "Add a service").';

/** A finding's reason: its own, else its check's (`_checks`, the first word of the finding). */
function reasonOf(scanner: string, finding: string): string {
  return accepted[scanner]?.[finding] || accepted._checks?.[scanner]?.[finding.split(' ')[0]] || '';
}
const update = process.env.UPDATE_SCANNER_FINDINGS === '1';

function requireInstalled(s: Scanner): void {
  const found = s.installedVersion();
  if (found !== s.version) {
    throw new Error(
      `${s.name} ${s.version} is not installed at ${s.binary} (found: ${found ?? 'nothing'}). ` +
        'Run `bash scripts/scanners/install.sh` (.ci/run does it before the tests).',
    );
  }
}

const all = scanners();

describe.each(all.map((s) => [s.name, s] as const))('%s', (_name, scanner) => {
  test('is installed at the pinned version', () => {
    requireInstalled(scanner);
  }, TIMEOUT);

  test('flags the canary (proves it loaded its checks)', () => {
    requireInstalled(scanner);
    const dir = tempDir('scanner-canary-');
    fs.writeFileSync(path.join(dir, 'canary.yaml'), CANARY_YAML);
    const findings = scanner.scan(dir);
    for (const check of scanner.canaryChecks) {
      expect(findings.filter((f) => f.startsWith(`${check} `))).not.toHaveLength(0);
    }
  }, TIMEOUT);

  test('findings on dist/ are exactly the reviewed list', () => {
    requireInstalled(scanner);
    const findings = scanner.scan(DIST);
    const reviewed = accepted[scanner.name] ?? {};
    if (update) {
      accepted[scanner.name] = Object.fromEntries(findings.map((f) => [f, reviewed[f] ?? '']));
      fs.writeFileSync(ACCEPTED_FILE, `${JSON.stringify(accepted, null, 2)}\n`);
      return;
    }
    const unreviewed = findings.filter((f) => !(f in reviewed));
    const stale = Object.keys(reviewed).filter((f) => !findings.includes(f));
    expect({ unreviewed, stale, hint: unreviewed.length || stale.length ? UPDATE_HINT : '' }).toEqual({ unreviewed: [], stale: [], hint: '' });
  }, TIMEOUT);
});

test('every accepted scanner finding carries a real reason', () => {
  const weak = Object.entries(accepted).filter(([name]) => name !== '_checks').flatMap(([name, entries]) =>
    Object.keys(entries)
      .filter((finding) => reasonOf(name, finding).trim().length < MIN_REASON_LENGTH || /^(todo|tbd|fixme)\b/i.test(reasonOf(name, finding).trim()))
      .map((finding) => `${name}: ${finding}`),
  );
  expect({ weak, hint: weak.length ? 'write the reason of each finding in test/scanners/accepted-findings.json (or of its check in `_checks`)' : '' }).toEqual({ weak: [], hint: '' });
});

test('a missing scanner fails with the command that installs it (never a silent skip)', () => {
  const saved = process.env.SCANNERS_HOME;
  process.env.SCANNERS_HOME = tempDir('no-scanners-');
  try {
    for (const s of scanners()) {
      expect(() => requireInstalled(s)).toThrow(`${s.name} ${s.version} is not installed at ${s.binary} (found: nothing). Run \`bash scripts/scanners/install.sh\``);
    }
  } finally {
    if (saved === undefined) delete process.env.SCANNERS_HOME;
    else process.env.SCANNERS_HOME = saved;
  }
});

test('the reviewed list names only known scanners', () => {
  expect(Object.keys(accepted).filter((k) => k !== '_checks').sort()).toEqual(all.map((s) => s.name).sort());
  expect(Object.keys(accepted._checks ?? {}).filter((k) => !all.some((s) => s.name === k))).toEqual([]);
});
