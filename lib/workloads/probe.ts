import { IntOrString, Probe as KubeProbe } from 'cdk8s-plus-28/lib/imports/k8s';

/** Timings shared by every probe (Kubernetes' own names and defaults). */
export interface ProbeTimings {
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default 1 (liveness and startup probes only allow 1) */
  readonly successThreshold?: number;
}

/** Options of {@link Probe.httpGet}. */
export interface HttpProbeOptions extends ProbeTimings {
  /**
   * The request path.
   * @default '/'
   */
  readonly path?: string;
}

/** Options of {@link Probe.grpc}. */
export interface GrpcProbeOptions extends ProbeTimings {
  /**
   * The service name sent in the gRPC health check request.
   * @default - the server's overall health (empty service name)
   */
  readonly service?: string;
}

/**
 * A readiness, liveness or startup probe: `httpGet`, `tcpSocket` or `grpc` against a named container port of
 * the workload (the workload checks the name exists), or `exec` of a command in the container. Factories
 * never throw.
 */
export class Probe {
  /** Healthy when `GET path` on the port answers 200-399. */
  public static httpGet(port: string, options: HttpProbeOptions = {}): Probe {
    const { path, ...timings } = options;
    return new Probe(port, timings, (n) => ({ httpGet: { path: path ?? '/', port: IntOrString.fromNumber(n) } }));
  }

  /** Healthy when the port accepts a TCP connection (for servers without a health endpoint). */
  public static tcpSocket(port: string, options: ProbeTimings = {}): Probe {
    return new Probe(port, options, (n) => ({ tcpSocket: { port: IntOrString.fromNumber(n) } }));
  }

  /** Healthy when the gRPC health check of `service` on the port answers SERVING. */
  public static grpc(port: string, options: GrpcProbeOptions = {}): Probe {
    const { service, ...timings } = options;
    return new Probe(port, timings, (n) => ({ grpc: { port: n, service } }));
  }

  /** Healthy when `command` exits 0 inside the container (no port; runs with the container's hardening). */
  public static exec(command: readonly string[], options: ProbeTimings = {}): Probe {
    return new Probe(undefined, options, () => ({ exec: { command: [...command] } }));
  }

  private constructor(
    /** The name of the container port probed; undefined for `exec`. */
    public readonly port: string | undefined,
    private readonly timings: ProbeTimings,
    private readonly handler: (port: number) => KubeProbe,
  ) {}

  /** The probe as rendered, with the port resolved to its number (none for `exec`). */
  public render(portNumber?: number): KubeProbe {
    return { ...this.handler(portNumber ?? 0), ...this.timings };
  }
}
