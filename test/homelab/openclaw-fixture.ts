/** OpenClaw built with its content from ConfigMaps instead of hostPath (the roadmap's way to enforce restricted). */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildHomelab } from '../../homelab';
import { OpenClawContent, openclawService } from '../../homelab/openclaw';
import { SERVICES } from '../../homelab/services';
import { KubeObject, collectManifests } from '../../lib';
import { tempDir } from '../util';

/** The homelab with OpenClaw's content taken from `content`. */
export function buildWithOpenclaw(app: App, content: OpenClawContent): void {
  buildHomelab(app, SERVICES.map((s) => (s.namespace === 'openclaw' ? openclawService(content) : s)));
}

/** The objects of that variant, and the temp content folder it read (removed after the test file). */
export function openclawFromConfigMaps(): { root: string; objects: KubeObject[] } {
  const root = tempDir('openclaw-content-');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('workspaces/homelab-admin/SOUL.md', '# homelab-admin\n');
  write('skills/gitops/SKILL.md', '# gitops\n');

  const app = new App();
  buildWithOpenclaw(app, { source: 'configMap', workspaceSrc: path.join(root, 'workspaces'), skills: path.join(root, 'skills') });
  return { root, objects: collectManifests(app).map((m) => m.object).filter((o) => o.metadata.namespace === 'openclaw') };
}
