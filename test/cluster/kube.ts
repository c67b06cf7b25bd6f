/** Access for cluster tests to the API server started by global-setup.ts. */
import { KubectlResult, runKubectl } from './harness';

/** kubectl's flag to apply or diff as ArgoCD's field manager, as ArgoCD syncs and compares dist/. */
export const AS_ARGOCD = '--field-manager=argocd-controller';

/** Runs kubectl as the cluster admin; `input` goes to stdin. */
export function kubectl(args: string[], input?: string): KubectlResult {
  const bin = process.env.BASELINE_TEST_KUBECTL;
  const kubeconfig = process.env.BASELINE_TEST_KUBECONFIG;
  if (!bin || !kubeconfig) throw new Error('no test API server: run the cluster project (`npm run test:cluster`), whose global setup starts it');
  return runKubectl(bin, kubeconfig, args, input);
}

/** A server-side apply of `obj` that stores nothing: schema, CRD validation and admission all run. */
export function dryRunApply(obj: object): KubectlResult {
  return kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], JSON.stringify(obj));
}

/** A create of `obj` that stores nothing (Pod Security admission judges it); stdout is its name. */
export function dryRunCreate(obj: object): KubectlResult {
  return kubectl(['create', '--dry-run=server', '-o', 'name', '-f', '-'], JSON.stringify(obj));
}

/** The object the server stores for the manifest `file`; throws with kubectl's error when it cannot be read. */
export function liveObject(file: string): any {
  const r = kubectl(['get', '-o', 'json', '-f', file]);
  if (r.code !== 0) throw new Error(`kubectl get -f ${file} failed (exit ${r.code}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
