import { KubeObject } from '../../synth/manifest';
import { makesPods, podTemplateOf } from '../../pod-template';
import { Rule, RuleFinding, RuleText } from '../rule';

/** The parts of a security context the pod rules read, as synthesized. */
export interface SecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly allowPrivilegeEscalation?: boolean;
  readonly privileged?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
  readonly seccompProfile?: { readonly type?: string };
  readonly seLinuxOptions?: { readonly type?: string; readonly user?: string; readonly role?: string; readonly level?: string };
  readonly procMount?: string;
  readonly windowsOptions?: { readonly hostProcess?: boolean };
  readonly sysctls?: readonly { readonly name: string; readonly value?: string }[];
}

/** A container as synthesized (the fields the rules read). */
export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath?: string; readonly readOnly?: boolean }[];
  readonly securityContext?: SecurityContext;
  readonly ports?: readonly { readonly containerPort?: number; readonly hostPort?: number }[];
  readonly resources?: { readonly requests?: Record<string, unknown>; readonly limits?: Record<string, unknown> };
}

/** A volume: its name and one source field (`hostPath`, `emptyDir`, `gitRepo`...). */
export type Volume = { readonly name: string; readonly hostPath?: { readonly path: string } } & Readonly<Record<string, unknown>>;

/** A pod spec as synthesized (the fields the rules read). */
export interface PodSpec {
  readonly securityContext?: SecurityContext;
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly shareProcessNamespace?: boolean;
  readonly automountServiceAccountToken?: boolean;
  readonly os?: { readonly name?: string };
}

/** A pod as the rules see it: the template's spec and annotations. */
export interface PodView {
  readonly spec: PodSpec;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The pod of a workload (Pod, CronJob or any kind with `spec.template`), or undefined for other kinds. */
export function podOf(o: KubeObject): PodView | undefined {
  if (!makesPods(o.kind)) return undefined;
  const template = podTemplateOf(o);
  // A pod-making object without a spec is checked as an empty pod (and fails), not skipped.
  return { spec: template?.spec ?? {}, annotations: template?.metadata?.annotations ?? {} };
}

/** Every container of the pod, as Pod Security admission visits them: init, regular, then ephemeral. */
export function containersOf(pod: PodSpec): Container[] {
  return [...(pod.initContainers ?? []), ...(pod.containers ?? []), ...(pod.ephemeralContainers ?? [])];
}

/** A rule over the pod of every workload kind. */
export function podRule(text: RuleText, check: (pod: PodSpec, view: PodView) => RuleFinding[]): Rule {
  return {
    ...text,
    check(o) {
      const pod = podOf(o);
      return pod ? check(pod.spec, pod) : [];
    },
  };
}

/**
 * A pod rule that checks each container with `violation`, which returns a detail or nothing. The rule's
 * exemption is per container: only the container's own entry (`<container>: <reason>`) covers its finding, so
 * a sidecar never rides on the main container's exemption.
 */
export function containerRule(text: RuleText, violation: (c: Container, pod: PodSpec) => string | undefined): Rule {
  return podRule(text, (pod) =>
    containersOf(pod).flatMap((c) => {
      const detail = violation(c, pod);
      if (!detail) return [];
      const exemption = text.exemption ? { what: text.exemption, subject: c.name } : undefined;
      return [{ finding: `[container:${c.name}]`, detail: `container ${c.name}: ${detail}`, exemption }];
    }),
  );
}

/**
 * A rule for a field that may be set on the pod's securityContext and on each container's: `bad` returns a
 * detail for a bad value (or nothing), and each setter is its own finding (`[pod]`, `[container:<name>]`).
 */
export function setterRule(text: RuleText, bad: (sc: SecurityContext) => string | undefined): Rule {
  return podRule(text, (pod) => {
    const setters: [string, string, SecurityContext | undefined][] = [
      ['[pod]', 'pod', pod.securityContext],
      ...containersOf(pod).map((c): [string, string, SecurityContext | undefined] => [`[container:${c.name}]`, `container ${c.name}`, c.securityContext]),
    ];
    return setters.flatMap(([finding, who, sc]) => {
      const detail = sc && bad(sc);
      return detail ? [{ finding, detail: `${who}: ${detail}` }] : [];
    });
  });
}

/** Pod Security admission skips the Linux-only restricted checks for a pod that declares `os.name: windows`. */
export function isWindows(pod: PodSpec): boolean {
  return pod.os?.name === 'windows';
}
