import * as fs from 'fs';
import * as path from 'path';
import { CANARY_YAML, Scanner, scanners } from '../../scripts/scanners/scanners';
import { MIN_REASON_LENGTH } from '../../lib';
import { tempDir } from '../util';

/**
 * Independent cross-check of dist/ (what ArgoCD deploys; `npm run check:dist` proves it is fresh) by
 * widely used scanners. Their findings must equal the reviewed list in accepted-findings.json, where each
 * entry carries the reason it is accepted: a new finding fails, and so does an entry that no longer occurs.
 * `UPDATE_SCANNER_FINDINGS=1 npx jest test/scanners` rewrites the list (new entries get an empty reason,
 * which fails until someone writes one).
 */
const ACCEPTED_FILE = path.join(__dirname, 'accepted-findings.json');
const DIST = path.join(__dirname, '..', '..', 'dist');
const TIMEOUT = 180_000;

type Accepted = Record<string, Record<string, string>>;
const accepted: Accepted = JSON.parse(fs.readFileSync(ACCEPTED_FILE, 'utf8'));
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
    expect({ unreviewed, stale }).toEqual({ unreviewed: [], stale: [] });
  }, TIMEOUT);
});

test('every accepted scanner finding carries a real reason', () => {
  const weak = Object.entries(accepted).flatMap(([name, entries]) =>
    Object.entries(entries)
      .filter(([, reason]) => reason.trim().length < MIN_REASON_LENGTH || /^(todo|tbd|fixme)\b/i.test(reason.trim()))
      .map(([finding]) => `${name}: ${finding}`),
  );
  expect(weak).toEqual([]);
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
  expect(Object.keys(accepted).sort()).toEqual(all.map((s) => s.name).sort());
});
