/**
 * `npm run scan:secrets` (also part of the unit tests): finds credential-shaped strings in `dist/` and in every
 * file git would commit (tracked, plus untracked files that are not ignored). Findings are printed redacted:
 * the scan must never become the leak.
 *
 * Usage: ts-node --swc scripts/scan-secrets.ts   (exit 1 on any finding)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** One kind of credential the scan recognises. */
export interface SecretPattern {
  readonly id: string;
  readonly description: string;
  readonly regex: RegExp;
  /** Extra check on the captured value (group 1 when present), for patterns that are only a hint. */
  readonly accept?: (value: string) => boolean;
}

/** One credential-shaped string: where, which rule, and a redacted preview. */
export interface SecretFinding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly preview: string;
}

/** The rules. Every one is proven by a canary in test/scripts/scan-secrets.test.ts. */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { id: 'private-key', description: 'PEM private key block', regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  { id: 'github-token', description: 'GitHub token', regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { id: 'sk-api-key', description: 'OpenAI-style key (OpenAI, OpenRouter, Anthropic)', regex: /\bsk-[A-Za-z0-9_-]{20,}/g },
  { id: 'slack-token', description: 'Slack token', regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { id: 'aws-access-key', description: 'AWS access key ID', regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { id: 'jwt', description: 'JSON Web Token', regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { id: 'google-api-key', description: 'Google API key (Gemini)', regex: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  {
    id: 'discord-webhook',
    description: 'Discord webhook URL (its path is the credential)',
    regex: /discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}/g,
  },
  {
    id: 'secret-assignment',
    description: 'high-entropy value assigned to a password/secret/token/key name',
    // `[ \t]*`, not `\s*`: a key whose value is on the next line (a YAML mapping) is a reference, not a value.
    // Not after `checksum/`: a chart's `checksum/secret` pod annotation is a digest of a template, not a credential.
    regex: /(?<!checksum\/)\b[A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key)["']?[ \t]*[:=][ \t]*["']?([^\s"'`,;]{12,})/gi,
    accept: looksRandom,
  },
];

/** Entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** A generated secret: letters and digits mixed, high entropy, and not code or a reference. */
function looksRandom(value: string): boolean {
  if (/[(){}<>$[\]]/.test(value) || /^(process\.env|this\.|props\.)/.test(value)) return false;
  return /[A-Za-z]/.test(value) && /\d/.test(value) && entropy(value) >= 3.5;
}

function redact(match: string): string {
  return `${match.slice(0, 4)}… (${match.length} chars)`;
}

/** Scans one text. */
export function scanText(file: string, text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const p of SECRET_PATTERNS) {
    for (const m of text.matchAll(p.regex)) {
      if (p.accept && !p.accept(m[1] ?? m[0])) continue;
      const line = text.slice(0, m.index).split('\n').length;
      findings.push({ file, line, rule: p.id, preview: redact(m[0]) });
    }
  }
  return findings;
}

/** Scans files (paths relative to `root`), skipping binary ones. */
export function scanFiles(root: string, files: readonly string[]): SecretFinding[] {
  return files.flatMap((file) => {
    const full = path.join(root, file);
    if (!fs.existsSync(full) || !fs.statSync(full).isFile()) return []; // deleted but still tracked
    const bytes = fs.readFileSync(full);
    if (bytes.subarray(0, 8192).includes(0)) return [];
    return scanText(file, bytes.toString('utf8'));
  });
}

/**
 * Files git would commit: tracked ones and untracked ones that are not ignored. dist/ is among them (it is
 * committed for ArgoCD and never ignored; test/scripts/scan-secrets.test.ts proves every file of it is listed).
 */
export function repoFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  return out.toString('utf8').split('\0').filter(Boolean);
}

/** The whole scan: every file git would commit, `dist/` included. */
export function scanRepository(root: string): SecretFinding[] {
  return scanFiles(root, [...new Set(repoFiles(root))].sort());
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const findings = scanRepository(root);
  for (const f of findings) process.stderr.write(`${f.file}:${f.line}: ${f.rule} ${f.preview}\n`);
  if (findings.length) {
    process.stderr.write(`scan-secrets: ${findings.length} credential-shaped string(s). Fix: remove them (and rotate them: git history keeps them); values belong in the secret store.\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('scan-secrets: no credential-shaped strings in dist/ or the repository\n');
  }
}
