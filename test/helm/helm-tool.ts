import * as path from 'path';
import { ChartRenderer, HelmTool, pinnedGoTool } from '../../lib';
import { repoRoot, sharedDir } from '../../scripts/shared-inputs';
import { tempDir } from '../util';

/** The project's helm (built by `npm test`'s pretest through scripts/go/build-tool.sh). */
export function realHelm(): HelmTool {
  return pinnedGoTool(path.join(repoRoot(), 'scripts', 'go'), 'helm');
}

/** A helm that counts its runs: a cached render must not ask for the binary at all. */
export function countingHelm(): HelmTool & { runs: () => number } {
  const helm = realHelm();
  let runs = 0;
  return { identity: helm.identity, binary: () => { runs++; return helm.binary(); }, runs: () => runs };
}

/** The pinned charts with a private, empty render cache. */
export function testRenderer(helm: HelmTool = realHelm(), chartsDir = path.join(sharedDir(), 'charts')): ChartRenderer {
  return { chartsDir, kubeVersion: '1.28.15', helm, cacheDir: tempDir('helm-cache-') };
}
