import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { KubeObject, Manifest, collectManifests } from '../lib';

/** Builds a fresh app with `build` and returns its manifests (validation included, nothing written). */
export function synthManifests(build: (app: App) => void): Manifest[] {
  const app = new App();
  build(app);
  return collectManifests(app);
}

/** Builds `build` inside one chart and returns the synthesized objects. */
export function synthChart(build: (chart: Chart) => void): KubeObject[] {
  return synthManifests((app) => build(new Chart(app, 'test'))).map((m) => m.object);
}

/** The one object of `kind` named `name` (and in `namespace`, when given); fails the test if absent. */
export function find(objects: readonly KubeObject[], kind: string, name: string, namespace?: string): any {
  const hits = objects.filter(
    (o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
  );
  if (hits.length !== 1) {
    throw new Error(`expected exactly one ${kind} ${namespace ?? '*'}/${name}, found ${hits.length}`);
  }
  return hits[0];
}

/** All objects of `kind` (in `namespace`, when given). */
export function all(objects: readonly KubeObject[], kind: string, namespace?: string): any[] {
  return objects.filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace));
}

const tempDirs: string[] = [];
// Registered once when a test file imports this module, so tempDir() also works inside a test.
afterAll(() => tempDirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A temp folder removed after the current test file. */
export function tempDir(prefix = 'baseline-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** relative path → sha256 of every file under `dir`, to prove a tree did not change. */
export function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
