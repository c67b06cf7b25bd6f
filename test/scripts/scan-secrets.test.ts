import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { SECRET_PATTERNS, repoFiles, scanFiles, scanRepository, scanText } from '../../scripts/scan-secrets';
import { tempDir, treeDigest } from '../util';

const ROOT = path.resolve(__dirname, '..', '..');

/** `n` random characters of `alphabet`. */
function random(n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string {
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
}
const upper = (n: number) => random(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567').toUpperCase();
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/**
 * One canary per rule, assembled at test time from pieces that are not credential-shaped on their own:
 * no credential-shaped string is ever committed, not even a fake one.
 */
const CANARIES: Record<string, string> = {
  'private-key': ['-----BEGIN', 'OPENSSH', 'PRIVATE', 'KEY-----'].join(' ') + `\n${random(64)}\n`,
  'github-token': `token = "${'gh' + 'p_'}${random(36)}"`,
  'sk-api-key': `OPENROUTER_API_KEY=${'s' + 'k-'}or-v1-${random(64, '0123456789abcdef')}`,
  'slack-token': `url: ${'xo' + 'xb-'}${random(12, '0123456789')}-${random(24)}`,
  'aws-access-key': `aws_access_key_id = ${'AK' + 'IA'}${upper(16)}`,
  jwt: `Authorization: Bearer ${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"canary"}')}.${random(43)}`,
  'google-api-key': `GEMINI_API_KEY: ${'AI' + 'za'}${random(35)}`,
  'discord-webhook': `DISCORD_WEBHOOK_ALERTS: https://discord.com/api/${'web' + 'hooks'}/${random(18, '0123456789')}/${random(68)}`,
  // Letters and digits both present, as the rule requires of a generated value.
  'secret-assignment': `  ${'pass' + 'word'}: "Q9${random(22)}"`,
};

describe('scan-secrets', () => {
  test('every rule has a canary, and the canary planted in a file is caught by its rule, redacted', () => {
    expect(Object.keys(CANARIES).sort()).toEqual(SECRET_PATTERNS.map((p) => p.id).sort());
    const dir = tempDir('baseline-canary-');
    for (const [rule, canary] of Object.entries(CANARIES)) {
      fs.writeFileSync(path.join(dir, `${rule}.txt`), `first line\nsecond line\n${canary}\nlast line\n`);
    }
    const findings = scanFiles(dir, fs.readdirSync(dir));
    for (const rule of Object.keys(CANARIES)) {
      const mine = findings.filter((f) => f.file === `${rule}.txt`);
      expect(mine.map((f) => [f.rule, f.line])).toContainEqual([rule, 3]);
    }
    // At most four characters of a finding are ever printed.
    for (const f of findings) expect(f.preview).toMatch(/^.{1,4}… \(\d+ chars\)$/);
  });

  test.each([
    ['an env var name as value', 'secretKey: GRAFANA_ADMIN_PASSWORD'],
    ['a YAML mapping (reference to a Secret key)', 'clientSecret:\n  key: clientSecret\n  name: infisical-machine-identity'],
    ['a template reference', 'DATABASE_URL: "postgres://app:{{ .DB_PASSWORD }}@db/app"'],
    ['a shell reference', 'PASSWORD=${DB_PASSWORD_FROM_VAULT_2024}'],
    ['code', 'const token = props.tokenValue1234;'],
    ['a low-entropy word', 'password: changeme-changeme-1'],
    ['a sha256 digest', 'sha256 7fb31305a2bb3f45460a8481c038f48c33fc39e19bbe4ca546d18ded12b4dbde'],
    ['prose about keys', 'The Plaid access token is in Infisical, never in the pod env'],
  ])('no false positive: %s', (_, text) => {
    expect(scanText('x', text)).toEqual([]);
  });

  test('the scan reads every file of dist/ (git lists it: committed, never ignored)', () => {
    const dist = Object.keys(treeDigest(path.join(ROOT, 'dist'))).map((f) => path.join('dist', f));
    expect(dist.length).toBeGreaterThan(0);
    expect(repoFiles(ROOT)).toEqual(expect.arrayContaining(dist));
  });

  test('dist/ and every file git would commit are free of credential-shaped strings', () => {
    const findings = scanRepository(ROOT);
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.preview}`)).toEqual([]);
  });
});
