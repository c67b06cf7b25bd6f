import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { buildHomelab } from '../../homelab';
import { synthesizeHomelab } from '../../homelab/synthesis';
import { CLUSTER_FOLDER, ROOT_FOLDER, collectManifests, toYaml, writeManifests } from '../../lib';
import { replaceDirectory, replaceFile } from '../../lib/synth/atomic-dir';
import { synthManifests, tempDir, treeDigest } from '../util';

function synthHomelabTo(outdir: string): void {
  writeManifests(outdir, synthManifests((app) => buildHomelab(app)));
}

describe('synth pipeline', () => {
  const root = tempDir();

  test('two runs give byte-identical trees', () => {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    synthHomelabTo(a);
    synthHomelabTo(b);
    expect(treeDigest(a)).toEqual(treeDigest(b));
    expect(Object.keys(treeDigest(a)).length).toBeGreaterThan(40);
  });

  test('one folder per namespace, cluster-scoped objects in their own folder, one file per object', () => {
    const manifests = synthManifests((app) => buildHomelab(app));
    // The ArgoCD root folder and the rendered charts' folders are chosen with assignFolder() (test/homelab/gitops.test.ts
    // and test/helm/render.test.ts cover them).
    for (const m of manifests.filter((x) => x.folder !== ROOT_FOLDER && !x.folder.startsWith('_chart-'))) {
      // Cluster-scoped objects (Namespaces, ClusterRoles, ...) carry no namespace: collectManifests enforces it.
      expect(m.folder).toBe(m.object.metadata.namespace ?? CLUSTER_FOLDER);
      expect(m.file).toBe(`${m.object.kind.toLowerCase()}-${m.object.metadata.name}.yaml`);
    }
  });

  test('every object has an explicit name without a hash suffix', () => {
    for (const m of synthManifests((app) => buildHomelab(app))) {
      // A DNS subdomain (a CRD's name is `<plural>.<group>`).
      expect(m.object.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
      expect(m.object.metadata.name).not.toMatch(/-c8[0-9a-f]{6}$/);
    }
  });

  test('unchanged files keep their inode (hard-linked, not rewritten); changed files are new', () => {
    const out = path.join(root, 'links');
    replaceDirectory(out, new Map([['a/same.yaml', 'same\n'], ['a/changed.yaml', 'v1\n']]));
    const inode = (f: string) => fs.statSync(path.join(out, f)).ino;
    const before = { same: inode('a/same.yaml'), changed: inode('a/changed.yaml') };
    replaceDirectory(out, new Map([['a/same.yaml', 'same\n'], ['a/changed.yaml', 'v2\n']]));
    expect(inode('a/same.yaml')).toBe(before.same);
    expect(inode('a/changed.yaml')).not.toBe(before.changed);
    expect(fs.readFileSync(path.join(out, 'a/changed.yaml'), 'utf8')).toBe('v2\n');
    expect(fs.statSync(path.join(out, 'a/same.yaml')).nlink).toBe(1); // the old tree's link is gone
  });

  test('replaceFile replaces one file in a rename, creating its folder, leaving no staging file', () => {
    const file = path.join(root, 'single', 'deep', 'report.md');
    replaceFile(file, 'v1\n');
    replaceFile(file, 'v2\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('v2\n');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['report.md']);
  });

  test('stale files are removed', () => {
    const out = path.join(root, 'stale');
    synthHomelabTo(out);
    fs.writeFileSync(path.join(out, 'argocd', 'leftover.yaml'), 'kind: Leftover\n');
    fs.mkdirSync(path.join(out, 'gone-namespace'));
    fs.writeFileSync(path.join(out, 'gone-namespace', 'x.yaml'), 'x: 1\n');
    synthHomelabTo(out);
    expect(fs.existsSync(path.join(out, 'argocd', 'leftover.yaml'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'gone-namespace'))).toBe(false);
  });

  test('a failing synth leaves the previous tree exactly as it was', () => {
    const out = path.join(root, 'kept');
    synthHomelabTo(out);
    const before = treeDigest(out);
    const broken = () =>
      writeManifests(out, synthManifests((app) => {
        buildHomelab(app);
        new Chart(app, 'bad').node.addValidation({ validate: () => ['this chart is deliberately invalid'] });
      }));
    expect(broken).toThrow(/synth refused: 1 problem\(s\)\n {2}- \[bad\] this chart is deliberately invalid/);
    expect(treeDigest(out)).toEqual(before);
  });

  test('a crash between the two renames is recovered, even by a run that then fails mid-write', () => {
    const out = path.join(root, 'recover');
    synthHomelabTo(out);
    const before = treeDigest(out);
    fs.renameSync(out, path.join(root, '.recover.previous')); // what a kill between the renames leaves
    // "a/b" as a file and as a folder: the second write fails after the first succeeded.
    const clash = new Map([['a/b', 'x'], ['a/b/c', 'y']]);
    expect(() => replaceDirectory(out, clash)).toThrow();
    expect(treeDigest(out)).toEqual(before);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.recover'))).toEqual([]);
  });

  describe('fails if', () => {
    function objects(build: (c: Construct) => void) {
      const app = new App();
      build(new Chart(app, 'c'));
      return () => collectManifests(app);
    }

    test('a namespaced object has no namespace', () => {
      expect(objects((c) => new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }))).toThrow(
        /\[c\/cm\] ConfigMap "x" has no namespace\. Allowed: an explicit metadata.namespace.*Fix: set metadata.namespace/,
      );
    });

    test('a cluster-scoped object carries a namespace', () => {
      expect(objects((c) => new ApiObject(c, 'cr', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x', namespace: 'y' } }))).toThrow(
        /cluster-scoped ClusterRole "x" has namespace "y"/,
      );
    });

    test('two objects would write the same file', () => {
      expect(objects((c) => {
        new ApiObject(c, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'n' } });
        new ApiObject(c, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'n' } });
      })).toThrow(/\[c\/b\] ConfigMap "x" would overwrite dist\/n\/configmap-x.yaml written by c\/a/);
    });
  });
});

test('the committed dist/ is exactly what synth renders (what ArgoCD applies; run `npm run synth` after a change)', () => {
  const files = Object.fromEntries(synthesizeHomelab().manifests.map((m) => [`${m.folder}/${m.file}`, toYaml(m.object)]));
  const dist = path.join(__dirname, '..', '..', 'dist');
  const committed = Object.fromEntries((fs.readdirSync(dist, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.yaml')).sort().map((f) => [f, fs.readFileSync(path.join(dist, f), 'utf8')]));
  expect(Object.keys(files).sort()).toEqual(Object.keys(committed));
  for (const [f, text] of Object.entries(files)) expect([f, text]).toEqual([f, committed[f]]);
});
