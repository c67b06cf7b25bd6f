import * as fs from 'fs';
import * as path from 'path';
import { Manifest, inventoryFile, renderInventory, writeInventory } from '../../lib';
import { tempDir } from '../util';

const m = (folder: string, kind: string, name: string, namespace?: string, spec?: unknown): Manifest => ({
  constructPath: `c/${name}`,
  folder,
  file: `${kind.toLowerCase()}-${name}.yaml`,
  object: { apiVersion: 'v1', kind, metadata: { name, namespace }, spec },
});

describe('inventory', () => {
  const manifests = [
    m('apps', 'Service', 'web', 'apps'),
    m('_cluster', 'Namespace', 'apps'),
    m('apps', 'NetworkPolicy', 'default-deny-all', 'apps', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    m('apps', 'ConfigMap', 'web', 'apps'),
  ];

  test('one kind/namespace/name line per object, grouped by owning folder, sorted, protected objects marked', () => {
    const text = renderInventory(manifests);
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      '',
      '[_cluster]',
      'Namespace//apps [prune-protected]',
      '',
      '[apps]',
      'ConfigMap/apps/web',
      'NetworkPolicy/apps/default-deny-all [prune-protected]',
      'Service/apps/web',
      '',
    ]);
    expect(text.startsWith('# Every object in dist/')).toBe(true);
  });

  test('does not depend on the order of the manifests', () => {
    expect(renderInventory([...manifests].reverse())).toBe(renderInventory(manifests));
  });

  test('lives beside the output folder and is replaced in one rename', () => {
    expect(inventoryFile('dist')).toBe('dist.inventory.txt');
    expect(inventoryFile('/tmp/x/out/')).toBe('/tmp/x/out.inventory.txt');
    const file = path.join(tempDir(), 'dist.inventory.txt');
    writeInventory(file, manifests);
    expect(fs.readFileSync(file, 'utf8')).toBe(renderInventory(manifests));
    expect(fs.readdirSync(path.dirname(file))).toEqual(['dist.inventory.txt']);
  });
});
