import { Construct } from 'constructs';
import { KubeDeployment } from 'cdk8s-plus-28/lib/imports/k8s';
import { HardenedWorkload, HardenedWorkloadProps } from './hardened-workload';

export { NAME_LABEL, selectorLabelsFor } from './hardened-workload';

/** How a Deployment replaces its pods, as in `strategy.type`. */
export enum DeploymentStrategy {
  /** New pods first, then old ones go: no downtime. */
  ROLLING_UPDATE = 'RollingUpdate',
  /** Old pods go first: for workloads that must never run twice (a single writer of a volume). */
  RECREATE = 'Recreate',
}

/** Props of {@link HardenedDeployment}. Every list prop is sugar over the matching `add*` method. */
export interface HardenedDeploymentProps extends HardenedWorkloadProps {
  /** @default DeploymentStrategy.ROLLING_UPDATE */
  readonly strategy?: DeploymentStrategy;
}

/**
 * A Deployment of the hardened pod (see {@link HardenedWorkload}: restricted-grade defaults, written reasons for
 * every opt-out). Built on the L1 `KubeDeployment`: stable names and labels, no hash suffixes.
 */
export class HardenedDeployment extends HardenedWorkload<KubeDeployment> {
  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id, props, (self, parts) => new KubeDeployment(self, 'Resource', {
      metadata: parts.metadata,
      spec: {
        replicas: parts.replicas,
        selector: parts.selector,
        strategy: { type: props.strategy ?? DeploymentStrategy.ROLLING_UPDATE },
        template: parts.template,
      },
    }));
  }
}
