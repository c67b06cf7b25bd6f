import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { fail } from '../errors';

/** A pinned chart source on disk whose every file matched its listed digest. */
export interface VerifiedChart {
  /** The chart name. */
  readonly chart: string;
  /** The exact chart version. */
  readonly version: string;
  /** The unpacked chart folder. */
  readonly dir: string;
  /** sha256 over the chart's SHA256SUMS lines: changes with any byte of any chart or subchart file. */
  readonly digest: string;
  /** How many files the digest covers. */
  readonly files: number;
}

/** Where the pinned chart sources are and which release asks for one (for error messages). */
export interface ChartSourceRequest {
  /** The folder holding `<chart>-<version>/` folders and one `SHA256SUMS` covering every file. */
  readonly chartsDir: string;
  readonly chart: string;
  readonly version: string;
  /** The construct path of the release that renders it. */
  readonly path: string;
  /** The release name. */
  readonly release: string;
}

/**
 * Verifies the pinned source of `chart@version` before helm reads it: the folder `<chart>-<version>` must
 * exist, every file SHA256SUMS lists under it must exist with that digest, and no other file may be there
 * (helm would read it). Throws naming the release, the chart, the file and the fix.
 */
export function verifyChartSource(req: ChartSourceRequest): VerifiedChart {
  const name = `${req.chart}-${req.version}`;
  const sumsFile = path.join(req.chartsDir, 'SHA256SUMS');
  const what = `release "${req.release}", chart ${req.chart}@${req.version}`;
  const dir = path.join(req.chartsDir, name);
  if (!fs.existsSync(sumsFile) || !fs.existsSync(dir)) {
    const available = fs.existsSync(req.chartsDir)
      ? fs.readdirSync(req.chartsDir).filter((d) => fs.statSync(path.join(req.chartsDir, d)).isDirectory()).sort()
      : [];
    fail(req.path, {
      problem: `${what}: unknown chart, no pinned source ${fs.existsSync(sumsFile) ? dir : sumsFile}`,
      value: `${req.chart}@${req.version}`,
      allowed: `a pinned chart source in ${req.chartsDir}: ${available.join(', ') || 'none'}`,
      fix: `vendor the chart at that exact version into ${req.chartsDir}/${name} and list its files in SHA256SUMS, or pin a version that is there`,
    });
  }
  const prefix = `${name}/`;
  const lines: string[] = [];
  const listed = new Set<string>();
  for (const line of fs.readFileSync(sumsFile, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64}) [ *]?(?:\.\/)?(\S+)$/.exec(line.trim());
    if (!m || !m[2].startsWith(prefix)) continue;
    const [, expected, rel] = m;
    const file = path.join(req.chartsDir, rel);
    const actual = fs.existsSync(file) ? sha256(fs.readFileSync(file)) : 'missing';
    if (actual !== expected) {
      fail(req.path, {
        problem: `${what}: digest mismatch, the chart source is not the pinned one (${rel}: sha256 ${actual})`,
        value: rel,
        allowed: `the exact file listed in ${sumsFile} (sha256 ${expected})`,
        fix: `restore ${rel} from the pinned upstream release (see ${path.join(req.chartsDir, 'README.md')}); never edit SHA256SUMS to match`,
      });
    }
    listed.add(rel);
    lines.push(`${expected}  ${rel}`);
  }
  if (!lines.length) {
    fail(req.path, {
      problem: `${what}: ${sumsFile} lists no file of ${name}`,
      value: name,
      allowed: 'a chart whose every file is pinned in SHA256SUMS',
      fix: `add the digests of ${name} to SHA256SUMS from its pinned upstream release`,
    });
  }
  for (const rel of filesUnder(req.chartsDir, name)) {
    if (!listed.has(rel)) {
      fail(req.path, {
        problem: `${what}: file not pinned in SHA256SUMS (helm would read it)`,
        value: rel,
        allowed: `only the files ${sumsFile} lists`,
        fix: `remove ${path.join(req.chartsDir, rel)}`,
      });
    }
  }
  lines.sort();
  return { chart: req.chart, version: req.version, dir, digest: sha256(Buffer.from(lines.join('\n'))), files: lines.length };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function filesUnder(root: string, rel: string): string[] {
  return fs.readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((e) => {
    const p = `${rel}/${e.name}`;
    return e.isDirectory() ? filesUnder(root, p) : [p];
  });
}
