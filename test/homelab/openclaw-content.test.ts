import * as path from 'path';
import { App } from 'cdk8s';
import { find } from '../util';
import { buildWithOpenclaw, openclawFromConfigMaps } from './openclaw-fixture';

const EXEMPTION = 'baseline.homelab.dev/exemption';

describe('openclaw from ConfigMaps (the roadmap\'s way to enforce restricted)', () => {
  const { root, objects: variant } = openclawFromConfigMaps();
  const d = find(variant, 'Deployment', 'openclaw', 'openclaw');

  test('no hostPath: the folders are ConfigMaps mounted read-only at the same paths', () => {
    const volumes = d.spec.template.spec.volumes;
    expect(volumes.filter((v: any) => v.hostPath)).toEqual([]);
    expect(volumes).toContainEqual({
      name: 'workspace-src',
      configMap: { name: 'openclaw-workspace-src', defaultMode: 0o444, items: [{ key: 'homelab-admin__SOUL.md', path: 'homelab-admin/SOUL.md' }] },
    });
    expect(volumes).toContainEqual({
      name: 'openclaw-skills',
      configMap: { name: 'openclaw-skills', defaultMode: 0o444, items: [{ key: 'gitops__SKILL.md', path: 'gitops/SKILL.md' }] },
    });
    expect(d.spec.template.spec.containers[0].volumeMounts).toEqual(expect.arrayContaining([
      { name: 'workspace-src', mountPath: '/workspace-src', readOnly: true },
      { name: 'openclaw-skills', mountPath: '/skills', readOnly: true },
    ]));
    expect(find(variant, 'ConfigMap', 'openclaw-skills', 'openclaw').data).toEqual({ 'gitops__SKILL.md': '# gitops\n' });
  });

  test('only the image exemption is left: nothing Pod Security restricted forbids', () => {
    expect(Object.keys(d.spec.template.metadata.annotations).filter((k) => !k.includes('/severity.'))).toEqual([`${EXEMPTION}.unpinned-image`]);
    const restrictedVolumes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
    for (const v of d.spec.template.spec.volumes) {
      expect(Object.keys(v).filter((k) => k !== 'name').every((k) => restrictedVolumes.includes(k))).toBe(true);
    }
  });

  test('fails clearly if a folder is missing', () => {
    expect(() => buildWithOpenclaw(new App(), { source: 'configMap', workspaceSrc: path.join(root, 'missing'), skills: path.join(root, 'skills') }))
      .toThrow(/\[openclaw\/WorkspaceSrc\] ConfigMap source folder does not exist: ".*missing"/);
  });
});
