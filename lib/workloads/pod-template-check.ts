import { exemptionReason } from '../annotations';
import { Problem } from '../errors';
import { isPinned } from './container-image';

/**
 * The hardened invariants of a rendered pod template (as synthesized, after any escape-hatch patch): each
 * relaxation must be covered by its own entry (volume or container) in its exemption annotation, every other
 * weakening is a problem. Pure, so the workload checks its own output at synth and others can check any object.
 */
export function podTemplateProblems(template: any): Problem[] {
  const problems: Problem[] = [];
  const annotations: Record<string, string> = template?.metadata?.annotations ?? {};
  // Exemptions are per subject (`<volume or container>: <reason>; ...`): one never covers what it does not name.
  const exempt = (what: string, subject: string) => exemptionReason(annotations, what, subject) !== undefined;
  const spec = template?.spec ?? {};
  const pod = spec.securityContext ?? {};
  const add = (problem: string, value: unknown, allowed: string) =>
    problems.push({ problem, value, allowed, fix: 'use the workload props (they render the hardened value) instead of patching the object' });

  if (pod.runAsNonRoot !== true) add('pod securityContext.runAsNonRoot is not true', pod.runAsNonRoot, 'true');
  if (pod.seccompProfile?.type !== 'RuntimeDefault') add('pod seccompProfile is not RuntimeDefault', pod.seccompProfile, '{ type: RuntimeDefault }');
  for (const field of ['runAsUser', 'runAsGroup'] as const) {
    if (pod[field] === 0) add(`pod securityContext.${field} is root`, 0, 'a non-zero id');
  }
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field]) add(`${field} is set`, spec[field], 'unset or false');
  }
  if (typeof spec.automountServiceAccountToken !== 'boolean') {
    add('automountServiceAccountToken is not explicit', spec.automountServiceAccountToken, 'true or false, set on the pod');
  }
  const hostPaths = new Set<string>();
  for (const v of spec.volumes ?? []) {
    if (!v.hostPath) continue;
    hostPaths.add(v.name);
    if (!exempt('hostpath', v.name)) add(`hostPath volume "${v.name}" without an exemption`, v.hostPath.path, 'hostPath only with a reason');
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const sc = c.securityContext ?? {};
    const where = `container "${c.name}"`;
    if (sc.privileged) add(`${where} is privileged`, sc.privileged, 'privileged: false (never exempted)');
    if (sc.allowPrivilegeEscalation !== false) add(`${where} allows privilege escalation`, sc.allowPrivilegeEscalation, 'false');
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) add(`${where} does not drop ALL capabilities`, sc.capabilities?.drop, '["ALL"]');
    if (sc.capabilities?.add?.length) add(`${where} adds capabilities`, sc.capabilities.add, 'none');
    if (sc.runAsUser === 0 || sc.runAsNonRoot === false) add(`${where} runs as root`, sc.runAsUser ?? sc.runAsNonRoot, 'a non-zero runAsUser');
    for (const m of c.volumeMounts ?? []) {
      if (hostPaths.has(m.name) && m.readOnly !== true && !exempt('hostpath-writable', m.name)) {
        add(`${where} mounts hostPath volume "${m.name}" writable without an exemption`, m.mountPath, 'readOnly: true, or a hostpath-writable reason for the volume');
      }
    }
    if (sc.readOnlyRootFilesystem !== true && !exempt('writable-root-filesystem', c.name)) {
      add(`${where} has a writable root filesystem without an exemption`, sc.readOnlyRootFilesystem, 'true, or a reason');
    }
    if (!isPinned(String(c.image)) && !(c.imagePullPolicy === 'Never' && exempt('unpinned-image', c.name))) {
      add(`${where} image is not pinned`, c.image, 'a tag other than latest or a digest (or a local build with a reason)');
    }
    for (const kind of ['requests', 'limits']) {
      for (const r of ['cpu', 'memory']) {
        if (c.resources?.[kind]?.[r] === undefined) add(`${where} has no ${kind}.${r}`, undefined, 'requests and limits for cpu and memory');
      }
    }
  }
  return problems;
}
