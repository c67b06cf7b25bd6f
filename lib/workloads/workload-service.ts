import { Construct } from 'constructs';
import { IntOrString, KubeService } from 'cdk8s-plus-28/lib/imports/k8s';
import { fail } from '../errors';
import { Labels } from '../network/peer';
import { Port, validatePort } from '../network/port';
import { validateDns1035Label } from '../validate';

/** How a Service is reached. LoadBalancer is not offered: nothing in this baseline is exposed that way. */
export enum ServiceType {
  /** Inside the cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** Also on a fixed port of the node (30000-32767), which must be given explicitly. */
  NODE_PORT = 'NodePort',
}

/** What a Service needs to know about the workload behind it. */
export interface IServiceBackend {
  /** The workload's namespace (the Service's too). */
  readonly namespace: string;
  /** The labels the Service selects pods by. */
  readonly selectorLabels: Labels;
  /** The container port called `name`, or undefined. */
  containerPort(name: string): Port | undefined;
}

/** One port of a Service. */
export interface ServicePortOptions {
  /** The name of the container port traffic goes to (its protocol is used too). */
  readonly targetPort: string;
  /**
   * The Service's own port.
   * @default - the container port's number
   */
  readonly port?: number;
  /**
   * The node port: required for NodePort Services, refused otherwise (a random one would be a moving target
   * for Tailscale Serve and the NetworkPolicies).
   * @default - none
   */
  readonly nodePort?: number;
}

/** Options of a Service in front of a workload. */
export interface WorkloadServiceOptions {
  /**
   * The Service name, a DNS-1035 label (it starts with a letter, unlike a workload name that may start with a digit).
   * @default - the workload's name
   */
  readonly name?: string;
  /**
   * The Service type.
   * @default ServiceType.CLUSTER_IP
   */
  readonly type?: ServiceType;
  /** The ports, at least one. */
  readonly ports: readonly ServicePortOptions[];
}

/** Props of {@link WorkloadService}. */
export interface WorkloadServiceProps extends WorkloadServiceOptions {
  /** The workload behind the Service. */
  readonly backend: IServiceBackend;
  /** The Service name, a DNS-1035 label (required here; the workload's `addService()` defaults it). */
  readonly name: string;
}

const NODE_PORT_RANGE = [30000, 32767] as const;

/** What makes a Service port distinct: its name (the target port's), protocol/port and protocol/nodePort. */
interface ServicePortKey {
  readonly name: string;
  readonly protocol: string;
  readonly port: number;
  readonly nodePort?: number;
}

/** A Service that selects exactly one workload by its stable name label and forwards to named container ports. */
export class WorkloadService extends Construct {
  /** The Service name. */
  public readonly name: string;
  /** The Service type. */
  public readonly type: ServiceType;
  /** The underlying Service object. */
  public readonly apiObject: KubeService;

  constructor(scope: Construct, id: string, props: WorkloadServiceProps) {
    super(scope, id);
    this.name = validateDns1035Label(this, 'Service name', props.name);
    this.type = props.type ?? ServiceType.CLUSTER_IP;
    if (!Object.values(ServiceType).includes(this.type)) {
      fail(this, {
        problem: 'unsupported Service type',
        value: this.type,
        allowed: Object.values(ServiceType).join(', '),
        fix: 'use ServiceType.CLUSTER_IP and reach the service through Tailscale Serve or a NodePort',
      });
    }
    if (!props.ports?.length) {
      fail(this, {
        problem: 'Service without ports',
        value: props.ports,
        allowed: 'one or more ports naming a container port',
        fix: 'pass ports: [{ targetPort: "<container port name>" }]',
      });
    }
    const ports = props.ports.map((p) => {
      const target = props.backend.containerPort(p.targetPort);
      if (!target) {
        fail(this, {
          problem: 'Service targets a container port the workload does not declare',
          value: p.targetPort,
          allowed: 'the name of one of the workload\'s ports',
          fix: 'add the port to the workload (ports / addPort()) or fix the name',
        });
      }
      this.checkNodePort(p.nodePort);
      const port = p.port ?? target.port;
      validatePort(this, Port.of(target.protocol, port));
      return { name: p.targetPort, port, protocol: target.protocol, targetPort: IntOrString.fromString(p.targetPort), nodePort: p.nodePort };
    });
    this.checkDistinct(ports);
    this.apiObject = new KubeService(this, 'Resource', {
      metadata: { name: this.name, namespace: props.backend.namespace, labels: { ...props.backend.selectorLabels } },
      spec: { type: this.type, selector: { ...props.backend.selectorLabels }, ports },
    });
  }

  /** The API server refuses a port name, protocol/port or protocol/nodePort twice in one Service. */
  private checkDistinct(ports: readonly ServicePortKey[]): void {
    const describe = (p: ServicePortKey) => `${p.name} ${p.protocol}/${p.port}${p.nodePort === undefined ? '' : ` nodePort ${p.nodePort}`}`;
    ports.forEach((p, i) => {
      const clash = ports.slice(0, i).find((q) =>
        q.name === p.name || (q.protocol === p.protocol && (q.port === p.port || (p.nodePort !== undefined && q.nodePort === p.nodePort))));
      if (clash) {
        fail(this, {
          problem: 'Service port declared twice',
          value: describe(p),
          allowed: 'each target port, each protocol/port and each protocol/nodePort once per Service',
          fix: `remove it or change its port: "${describe(clash)}" is declared already (one entry per container port)`,
        });
      }
    });
  }

  private checkNodePort(nodePort: number | undefined): void {
    if (this.type !== ServiceType.NODE_PORT) {
      if (nodePort !== undefined) {
        fail(this, {
          problem: 'nodePort on a Service that is not a NodePort',
          value: nodePort,
          allowed: 'nodePort only with type: ServiceType.NODE_PORT',
          fix: 'drop nodePort, or set type: ServiceType.NODE_PORT if the node must expose it',
        });
      }
      return;
    }
    const [min, max] = NODE_PORT_RANGE;
    if (nodePort === undefined || !Number.isInteger(nodePort) || nodePort < min || nodePort > max) {
      fail(this, {
        problem: nodePort === undefined ? 'NodePort Service without an explicit nodePort' : 'nodePort outside the node port range',
        value: nodePort,
        allowed: `an explicit integer from ${min} to ${max}`,
        fix: 'set nodePort on every port of a NodePort Service (a random one cannot be pinned in Tailscale Serve)',
      });
    }
  }
}
