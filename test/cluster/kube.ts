/** Access for cluster tests to the API server started by global-setup.ts. */
import { spawnSync } from 'child_process';
import { KubectlResult } from './harness';

/** Runs kubectl as the cluster admin; `input` goes to stdin. */
export function kubectl(args: string[], input?: string): KubectlResult {
  const bin = process.env.BASELINE_TEST_KUBECTL;
  const kubeconfig = process.env.BASELINE_TEST_KUBECONFIG;
  if (!bin || !kubeconfig) throw new Error('no test API server: run the cluster project (`npm run test:cluster`), whose global setup starts it');
  const r = spawnSync(bin, [`--kubeconfig=${kubeconfig}`, ...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}
