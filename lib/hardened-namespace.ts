import { Construct, IConstruct } from 'constructs';
import { KubeNamespace } from 'cdk8s-plus-28/lib/imports/k8s';
import { PSS_EXEMPTION_REASON, exemptionAnnotation } from './annotations';
import { fail } from './errors';
import { validateDnsLabel, validateLabels, validateReason } from './validate';

/** The three Pod Security Standards levels, from most to least permissive (the order `POD_SECURITY_LEVELS` keeps). */
export enum PodSecurityLevel {
  PRIVILEGED = 'privileged',
  BASELINE = 'baseline',
  RESTRICTED = 'restricted',
}

/** Pod Security admission reads `<prefix>/<mode>` and `<prefix>/<mode>-version` labels on a Namespace. */
export const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io';

/** The three Pod Security admission modes, each with a level and a version label. */
export const POD_SECURITY_MODES = ['enforce', 'audit', 'warn'] as const;

/** The level values, least strict first: a lower index admits more pods. */
export const POD_SECURITY_LEVELS: readonly string[] = Object.values(PodSecurityLevel);

/** Whether a `-version` label pins a Kubernetes minor version (`v1.28`): `latest` or none follows cluster upgrades. */
export function isPinnedPodSecurityVersion(version: string | undefined): boolean {
  return /^v1\.\d+$/.test(version ?? '');
}

/** A Kubernetes minor version as Pod Security labels write it, e.g. `v1.28`. */
export type KubernetesMinorVersion = `v1.${number}`;

/** The Pod Security Standards version every label is pinned to unless told otherwise (never `latest`). */
export const DEFAULT_POD_SECURITY_VERSION: KubernetesMinorVersion = 'v1.28';

/** Pod Security admission settings of a namespace: the three modes and their pinned versions. */
export interface PodSecurityProps {
  /**
   * The level pods must meet to be admitted.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly enforce?: PodSecurityLevel;
  /**
   * The level whose violations are written to the audit log.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly audit?: PodSecurityLevel;
  /**
   * The level whose violations are returned to the client as warnings.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly warn?: PodSecurityLevel;
  /**
   * The Pod Security Standards version of all three modes (`vX.Y`). Pinned so that a cluster upgrade
   * cannot silently change what is admitted.
   * @default DEFAULT_POD_SECURITY_VERSION
   */
  readonly version?: string;
  /**
   * Why any mode is looser than `restricted`. Required as soon as one is; emitted as the annotation
   * `baseline.homelab.dev/pod-security-reason`.
   * @default - none; a looser level without a reason fails synth
   */
  readonly reason?: string;
}

/** Props of {@link HardenedNamespace}. */
export interface HardenedNamespaceProps {
  /** The namespace name (`metadata.name`), a DNS-1123 label. */
  readonly name: string;
  /**
   * Pod Security admission.
   * @default - restricted in enforce, audit and warn, pinned to DEFAULT_POD_SECURITY_VERSION
   */
  readonly podSecurity?: PodSecurityProps;
  /**
   * Extra labels. They may not set `pod-security.kubernetes.io/*`: use `podSecurity` for that.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Adopt one of the namespaces Kubernetes itself owns ({@link RESERVED_NAMESPACES}): labelling
   * `kube-system` restricted, say, changes what the cluster's own pods may do, so it takes a written reason,
   * emitted as `baseline.homelab.dev/exemption.reserved-namespace`.
   * @default - reserved names are refused
   */
  readonly adoptReserved?: { readonly reason: string };
}

/**
 * A Namespace labelled for Pod Security admission: restricted in every mode by default, with the version
 * labels pinned. A looser level needs a written reason, which is emitted as an annotation.
 */
export class HardenedNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The effective enforce level. */
  public readonly enforce: PodSecurityLevel;
  /** The effective audit level. */
  public readonly audit: PodSecurityLevel;
  /** The effective warn level. */
  public readonly warn: PodSecurityLevel;
  /** The reason for a looser level, if any. */
  public readonly reason?: string;
  /** The underlying Namespace object. */
  public readonly apiObject: KubeNamespace;

  constructor(scope: Construct, id: string, props: HardenedNamespaceProps) {
    super(scope, id);
    this.name = validateDnsLabel(this, 'namespace name', props.name);
    const adoptReason = RESERVED_NAMESPACES.includes(this.name) ? this.adoptReason(props.adoptReserved) : undefined;
    const pss = props.podSecurity ?? {};
    const levels = {
      enforce: pss.enforce ?? PodSecurityLevel.RESTRICTED,
      audit: pss.audit ?? PodSecurityLevel.RESTRICTED,
      warn: pss.warn ?? PodSecurityLevel.RESTRICTED,
    };
    for (const mode of POD_SECURITY_MODES) {
      if (!POD_SECURITY_LEVELS.includes(levels[mode])) {
        fail(this, {
          problem: `unknown Pod Security level for ${mode}`,
          value: levels[mode],
          allowed: POD_SECURITY_LEVELS.join(', '),
          fix: `use PodSecurityLevel.RESTRICTED (or a looser level with a reason)`,
        });
      }
    }
    const version = pss.version ?? DEFAULT_POD_SECURITY_VERSION;
    if (!isPinnedPodSecurityVersion(version)) {
      fail(this, {
        problem: 'Pod Security version must be pinned',
        value: version,
        allowed: 'a Kubernetes minor version such as "v1.28" (not "latest")',
        fix: `set podSecurity.version to the cluster's minor version, e.g. "${DEFAULT_POD_SECURITY_VERSION}"`,
      });
    }
    const looser = POD_SECURITY_MODES.filter((m) => levels[m] !== PodSecurityLevel.RESTRICTED);
    if (looser.length > 0) {
      this.reason = validateReason(this, `Pod Security ${looser.map((m) => `${m}=${levels[m]}`).join(', ')}`, pss.reason);
    }
    validateLabels(this, 'label', props.labels);
    for (const key of Object.keys(props.labels ?? {})) {
      if (key.startsWith(`${POD_SECURITY_LABEL_PREFIX}/`)) {
        fail(this, {
          problem: 'Pod Security labels cannot be set through `labels`',
          value: key,
          allowed: 'any label outside pod-security.kubernetes.io/',
          fix: 'use the `podSecurity` prop, which validates levels, pins versions and records reasons',
        });
      }
    }
    this.enforce = levels.enforce;
    this.audit = levels.audit;
    this.warn = levels.warn;

    const labels: Record<string, string> = { ...props.labels };
    for (const mode of POD_SECURITY_MODES) {
      labels[`${POD_SECURITY_LABEL_PREFIX}/${mode}`] = levels[mode];
      labels[`${POD_SECURITY_LABEL_PREFIX}/${mode}-version`] = version;
    }
    this.apiObject = new KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.name,
        labels,
        annotations: this.reason || adoptReason
          ? {
            ...(this.reason ? { [PSS_EXEMPTION_REASON]: this.reason } : {}),
            ...(adoptReason ? { [exemptionAnnotation('reserved-namespace')]: adoptReason } : {}),
          }
          : undefined,
      },
    });
  }

  private adoptReason(adopt: HardenedNamespaceProps['adoptReserved']): string {
    if (!adopt) {
      fail(this, {
        problem: 'reserved namespace name',
        value: this.name,
        allowed: `any name but ${RESERVED_NAMESPACES.join(', ')} (Kubernetes' own namespaces)`,
        fix: 'choose a namespace of its own for the service, or adopt it explicitly with `adoptReserved: { reason }`',
      });
    }
    return validateReason(this, `adoption of reserved namespace ${this.name}`, adopt.reason);
  }
}

/** The namespaces Kubernetes creates and owns itself. */
export const RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** The name of a namespace passed as a {@link HardenedNamespace} or by name, checked as a DNS-1123 label. */
export function namespaceName(scope: IConstruct, namespace: HardenedNamespace | string): string {
  return validateDnsLabel(scope, 'namespace', typeof namespace === 'string' ? namespace : namespace.name);
}
