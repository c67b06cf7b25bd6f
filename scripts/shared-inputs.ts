/**
 * The pinned upstream inputs in ../shared (CRDs, Kubernetes schema), read in place and verified against
 * their SHA256SUMS before use. They are never copied into the repository.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The sha256 of `bytes`, as sha256sum prints it (lower-case hex). */
export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The shared folder: $BASELINE_SHARED_DIR, else `../shared` beside the repository. */
export function sharedDir(): string {
  return process.env.BASELINE_SHARED_DIR ?? path.resolve(repoRoot(), '..', 'shared');
}

/**
 * The folder holding package.json, whether this runs from scripts/ or from build/scripts/; for a build kept
 * outside the repository (`scripts/build.js --out DIR`), the one holding the working directory.
 */
export function repoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  return process.cwd();
}

/**
 * Every file listed in `<sub>/SHA256SUMS`, as absolute paths, after checking each digest. Throws naming the
 * file, both digests and where the pinned release comes from.
 */
export function verifiedFiles(sub: 'crds' | 'schemas'): string[] {
  const root = path.join(sharedDir(), sub);
  const sums = path.join(root, 'SHA256SUMS');
  if (!fs.existsSync(sums)) {
    throw new Error(`${sums} not found. Allowed: the pinned upstream inputs beside the repository. Fix: put them in ../shared or set BASELINE_SHARED_DIR (see README "Pinned upstream CRDs").`);
  }
  return fs.readFileSync(sums, 'utf8').split('\n').filter(Boolean).map((line, i) => {
    const m = /^([0-9a-f]{64}) [ *]?(\S+)$/.exec(line.trim());
    if (!m || m[2].includes('..')) {
      throw new Error(`${sums}:${i + 1}: unparseable line ${JSON.stringify(line)}. Allowed: "<64 hex digits>  <relative path>" as sha256sum writes it. Fix: restore SHA256SUMS from the pinned inputs.`);
    }
    const [, expected, rel] = m;
    const file = path.join(root, rel);
    const actual = fs.existsSync(file) ? sha256(fs.readFileSync(file)) : 'missing';
    if (actual !== expected) {
      throw new Error(`${file}: sha256 ${actual} does not match the pinned ${expected}. Allowed: the exact upstream file listed in ${sums}. Fix: restore it from the pinned upstream release (see ${path.join(root, 'README.md')}).`);
    }
    return file;
  });
}

/** The verified CRD files. */
export function verifiedCrdFiles(): string[] {
  return verifiedFiles('crds');
}
