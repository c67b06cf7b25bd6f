import { Construct } from 'constructs';
import { KubeStatefulSet, Quantity } from 'cdk8s-plus-28/lib/imports/k8s';
import { fail } from '../errors';
import { parseQuantity } from './resources';
import { validateDnsLabel } from '../validate';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';

/** One `volumeClaimTemplates` entry: each pod gets its own claim `<name>-<statefulset>-<ordinal>`. Mount it with `Volume.claimTemplate(name)`. */
export interface VolumeClaimTemplate {
  /** The template name (the volume name containers mount). Immutable once applied, like the whole entry. */
  readonly name: string;
  /** The requested size, as a Kubernetes quantity (`10Gi`). */
  readonly size: string;
  /**
   * The access modes.
   * @default ['ReadWriteOnce']
   */
  readonly accessModes?: readonly string[];
  /**
   * The StorageClass.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

/** Props of {@link HardenedStatefulSet}. */
export interface HardenedStatefulSetProps extends HardenedWorkloadProps {
  /**
   * The headless Service that gives the pods their DNS names (`spec.serviceName`, immutable once applied).
   * @default - the workload name
   */
  readonly serviceName?: string;
  /**
   * Claims each pod gets (`spec.volumeClaimTemplates`, immutable once applied).
   * @default - none
   */
  readonly volumeClaimTemplates?: readonly VolumeClaimTemplate[];
}

/**
 * A StatefulSet of the hardened pod (see {@link HardenedWorkload}), with per-pod claims from
 * `volumeClaimTemplates`: for databases and other single-writer state that needs a stable identity.
 */
export class HardenedStatefulSet extends HardenedWorkload<KubeStatefulSet> {
  private readonly templateNames: readonly string[];

  constructor(scope: Construct, id: string, props: HardenedStatefulSetProps) {
    const templates = props.volumeClaimTemplates ?? [];
    super(scope, id, props, (self, parts) => new KubeStatefulSet(self, 'Resource', {
      metadata: parts.metadata,
      spec: {
        replicas: parts.replicas,
        serviceName: validateDnsLabel(self, 'serviceName', props.serviceName ?? props.name),
        selector: parts.selector,
        template: parts.template,
        volumeClaimTemplates: templates.length ? templates.map((t) => renderTemplate(self, t)) : undefined,
      },
    }));
    const names = templates.map((t) => t.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) fail(this, { problem: 'volumeClaimTemplate declared twice', value: twice, allowed: 'each name once', fix: 'remove or rename one of them' });
    this.templateNames = names;
  }

  protected claimTemplateNames(): readonly string[] {
    return this.templateNames;
  }
}

function renderTemplate(scope: Construct, t: VolumeClaimTemplate) {
  validateDnsLabel(scope, 'volumeClaimTemplate name', t.name);
  const size = parseQuantity(t.size);
  if (size === undefined || size <= 0) {
    fail(scope, { problem: `invalid size of volumeClaimTemplate "${t.name}"`, value: t.size, allowed: 'a positive quantity such as "10Gi"', fix: 'set size: "10Gi"' });
  }
  return {
    metadata: { name: t.name },
    spec: {
      accessModes: [...(t.accessModes ?? ['ReadWriteOnce'])],
      storageClassName: t.storageClassName,
      resources: { requests: { storage: Quantity.fromString(t.size) } },
    },
  };
}
