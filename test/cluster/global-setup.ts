/**
 * Jest global setup of the "cluster" project: builds (or reuses) the binaries, starts one real API server
 * for the whole run and installs the pinned CRDs. Tests reach it through test/cluster/kube.ts.
 */
import * as path from 'path';
import { verifiedCrdFiles } from '../../scripts/shared-inputs';
import { Cluster, ensureBinaries, startCluster, waitEstablished } from './harness';

declare global {
  // Shared with global-teardown.ts (jest runs both in the parent process).
  var __BASELINE_CLUSTER__: Cluster | undefined;
}

export default async function setup(): Promise<void> {
  const bin = ensureBinaries();
  const cluster = await startCluster();
  globalThis.__BASELINE_CLUSTER__ = cluster;
  process.env.BASELINE_TEST_KUBECONFIG = cluster.kubeconfig;
  process.env.BASELINE_TEST_KUBECTL = path.join(bin, 'kubectl');

  const crds = verifiedCrdFiles().filter((f) => /(application|appproject|externalsecrets|clustersecretstores|secretstores)[-_.]/.test(path.basename(f)));
  // ESO 0.20.4's ExternalSecret CRD declares `selectableFields` (field selectors, Kubernetes >= 1.30), which a
  // 1.28 server does not know: strict server-side apply refuses it, so create without client validation and
  // let the server drop that field. Its openAPIV3Schema, which is what validates our objects, is kept whole.
  const applied = cluster.kubectl(['create', '--validate=false', ...crds.flatMap((f) => ['-f', f])]);
  if (applied.code !== 0) throw new Error(`installing the pinned CRDs failed:\n${applied.stderr}`);
  await waitEstablished((args) => cluster.kubectl(args), crds);
}
