import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { fail } from '../errors';
import { KubeObject } from '../synth/manifest';
import { VerifiedChart } from './chart-source';

/** The helm binary that renders charts, resolved only when a render is not cached. */
export interface HelmTool {
  /** Names the exact helm build (version and pinned inputs): part of the render cache key. */
  readonly identity: string;
  /** The binary's path; may build it first (called on a cache miss only). */
  readonly binary: () => string;
}

/** One `helm template` run. */
export interface RenderRequest {
  readonly chart: VerifiedChart;
  readonly release: string;
  readonly namespace: string;
  /** The Kubernetes version helm assumes (`--kube-version`; a module-built helm would assume 1.20). */
  readonly kubeVersion: string;
  /** The values, exactly as reviewed. */
  readonly values: Record<string, unknown>;
  readonly helm: HelmTool;
  /** The construct path of the release, for error messages. */
  readonly path: string;
  /**
   * Where rendered output is cached, keyed by (chart digest, values digest, helm identity, release,
   * namespace, Kubernetes version).
   * @default - $HOMELAB_HELM_CACHE, else ~/.cache/homelab-baseline/helm-renders
   */
  readonly cacheDir?: string;
  /**
   * A check that only has to run when the render is not cached (e.g. the typed values' keys against the
   * chart): `key` names its input and joins the cache key, so a cached render implies the check passed.
   * @default - none
   */
  readonly check?: RenderCheck;
}

/** A check that runs before helm only when the render is not cached (see {@link RenderRequest.check}). */
export interface RenderCheck {
  /** Names the check's input; it joins the cache key. */
  readonly key: string;
  /** Runs the check: throws (with the release's construct path) when it fails. */
  readonly run: () => void;
}

/** What a render produced and whether helm ran for it. */
export interface RenderResult {
  readonly objects: KubeObject[];
  /** True when the output came from the cache (helm did not run). */
  readonly cached: boolean;
  /** The cache key (sha256). */
  readonly key: string;
}

/** The default render cache folder, outside the repository so that a fresh `build/` keeps it. */
export function defaultRenderCacheDir(): string {
  return process.env.HOMELAB_HELM_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'homelab-baseline', 'helm-renders');
}

/**
 * Renders a verified chart with real helm (`helm template --include-crds --skip-tests`), or reads the
 * same render from the cache. Helm test hooks are left out: ArgoCD never runs them. Throws naming the
 * release, the chart and helm's own message when helm fails or prints something that is not objects.
 */
export function renderChart(req: RenderRequest): RenderResult {
  const valuesJson = canonicalJson(req.values);
  const key = sha256([req.chart.digest, sha256(valuesJson), req.helm.identity, req.release, req.namespace, req.kubeVersion, req.check?.key ?? ''].join('\n'));
  const dir = req.cacheDir ?? defaultRenderCacheDir();
  // The parsed objects are cached as JSON: parsing helm's YAML costs seconds, reading JSON milliseconds.
  const cacheFile = path.join(dir, `${key}.json`);
  const what = `release "${req.release}", chart ${req.chart.chart}@${req.chart.version}`;
  if (fs.existsSync(cacheFile)) {
    return { objects: JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as KubeObject[], cached: true, key };
  }
  req.check?.run();
  const objects = parseObjects(runHelm(req, valuesJson, what), req.path, what);
  fs.mkdirSync(dir, { recursive: true });
  const part = `${cacheFile}.${process.pid}.tmp`;
  fs.writeFileSync(part, JSON.stringify(objects));
  fs.renameSync(part, cacheFile);
  return { objects, cached: false, key };
}

/** Runs `helm template` for the request with its values as a file; returns helm's output or fails naming the release. */
function runHelm(req: RenderRequest, valuesJson: string, what: string): string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
  try {
    const valuesFile = path.join(tmp, 'values.json'); // JSON is YAML: no YAML 1.1 surprises
    fs.writeFileSync(valuesFile, valuesJson);
    const args = ['template', req.release, req.chart.dir, '--namespace', req.namespace, '--kube-version', req.kubeVersion,
      '--include-crds', '--skip-tests', '--values', valuesFile];
    const r = spawnSync(req.helm.binary(), args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, HELM_CACHE_HOME: tmp, HELM_CONFIG_HOME: tmp, HELM_DATA_HOME: tmp } });
    if (r.error || r.status !== 0) {
      fail(req.path, {
        problem: `${what}: helm template failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`,
        value: `helm ${args.join(' ')}`,
        allowed: 'values the chart accepts, rendered by helm with exit status 0',
        fix: 'correct the values helm names above (run the command shown to see the whole output)',
      });
    }
    return r.stdout;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The objects of helm's output: YAML 1.2 (so `=` or `on` stay strings), empty documents skipped. */
export function parseObjects(text: string, at: string, what: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text, { version: '1.2', uniqueKeys: false })) {
    if (doc.errors.length) {
      fail(at, {
        problem: `${what}: helm printed YAML that does not parse (${doc.errors[0].message.split('\n')[0]})`,
        value: doc.toString().slice(0, 120),
        allowed: 'well-formed Kubernetes objects',
        fix: 'check the values that feed this template; if the chart itself is broken, pin another version',
      });
    }
    const o = doc.toJS({ maxAliasCount: -1 }) as KubeObject | null;
    if (o === null || o === undefined) continue;
    if (typeof o !== 'object' || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || typeof o.metadata?.name !== 'string') {
      fail(at, {
        problem: `${what}: helm rendered a document that is not a Kubernetes object`,
        value: JSON.stringify(o).slice(0, 120),
        allowed: 'objects with apiVersion, kind and metadata.name',
        fix: 'check the values that feed this template (e.g. extraObjects)',
      });
    }
    objects.push(o);
  }
  return objects;
}

/** JSON with object keys sorted at every level: the same values always give the same digest. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
