import { exemptionReason } from '../annotations';
import { Problem } from '../errors';
import { POD_SECURITY_RULES } from '../rules/pack/pod-security-rules';
import { WORKLOAD_RULES, readOnlyRootFilesystem } from '../rules/pack/workload-rules';
import { Rule, RuleContext, isSuppressible } from '../rules/rule';
import { KubeObject } from '../synth/manifest';
import { isPinned } from '../image-reference';
import { podTemplateOf } from '../pod-template';

/**
 * The rules a hardened workload's pods must pass: every ERROR workload and Pod Security rule, plus HB-POD-008
 * (read-only root filesystem), which the rule pack only warns about but the constructs refuse without an exemption.
 */
const POD_RULES: readonly Rule[] = [...WORKLOAD_RULES, ...POD_SECURITY_RULES].filter((r) => r.level === 'ERROR' || r === readOnlyRootFilesystem);

/**
 * The hardened invariants of a rendered workload (as synthesized, after any escape-hatch patch): the findings of
 * the workload rules ({@link POD_RULES}) that its pod template's exemption annotations do not cover, plus the
 * construct-only checks below, where the constructs are stricter than the rule pack. Pure, so a workload checks
 * its own output at synth and others can check any object.
 */
export function podTemplateProblems(workload: KubeObject): Problem[] {
  const template = podTemplateOf(workload);
  // Only the pod's own annotations count: they travel with the pod, and a patch there cannot hide behind the
  // workload's copy.
  const annotations = template?.metadata?.annotations;
  // The pod rules read only the object itself; the context is the object alone.
  const context: RuleContext = {
    objects: [workload],
    ofKind: (kind, namespace) => (kind === workload.kind && (namespace === undefined || namespace === workload.metadata.namespace) ? [workload] : []),
  };
  const problems: Problem[] = [];
  for (const rule of POD_RULES) {
    for (const f of rule.check(workload, context)) {
      const exemption = isSuppressible(rule) ? (f.exemption ?? (rule.exemption ? { what: rule.exemption } : undefined)) : undefined;
      if (exemption && exemptionReason(annotations, exemption.what, exemption.subject) !== undefined) continue;
      problems.push({
        problem: `${f.detail}${exemption ? ' (no exemption)' : ''}`,
        value: f.finding,
        allowed: `${rule.title} (${rule.id})`,
        fix: rule.fix,
      });
    }
  }
  return [...problems, ...stricterThanRules(template?.spec ?? {}, annotations)];
}

/**
 * CONSTRUCT-ONLY checks, stricter than the rule pack: the hardened constructs render these values themselves,
 * so anything else comes from a patch. The capability and image checks cover only what the rules let through.
 */
function stricterThanRules(spec: any, annotations: Record<string, string> | undefined): Problem[] {
  const problems: Problem[] = [];
  const add = (problem: string, value: unknown, allowed: string) =>
    problems.push({ problem, value, allowed, fix: 'use the workload props (they render the hardened value) instead of patching the object' });
  const pod = spec.securityContext ?? {};
  // Pod level, so a container added later inherits it (HB-POD-001/004 also accept container-level settings).
  if (pod.runAsNonRoot !== true) add('pod securityContext.runAsNonRoot is not true', pod.runAsNonRoot, 'true');
  // Localhost (accepted by HB-POD-004) names a profile file on the node that nothing here can check.
  if (pod.seccompProfile?.type !== 'RuntimeDefault') add('pod seccompProfile is not RuntimeDefault', pod.seccompProfile, '{ type: RuntimeDefault }');
  for (const field of ['runAsUser', 'runAsGroup'] as const) {
    if (pod[field] === 0) add(`pod securityContext.${field} is root`, 0, 'a non-zero id');
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    // HB-POD-003 lets NET_BIND_SERVICE back; the constructs add no capability (their ports need none).
    const added = (c.securityContext?.capabilities?.add ?? []).filter((cap: string) => cap === 'NET_BIND_SERVICE');
    if (added.length) add(`container "${c.name}" adds capabilities`, added, 'none');
    // HB-POD-010's exemption is for a local build: only never pulling keeps a registry from swapping the image.
    if (!isPinned(String(c.image)) && c.imagePullPolicy !== 'Never' && exemptionReason(annotations, 'unpinned-image', c.name) !== undefined) {
      add(`container "${c.name}" pulls its unpinned image`, c.imagePullPolicy, 'imagePullPolicy: Never for an unpinned local build');
    }
  }
  return problems;
}
