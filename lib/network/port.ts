import { IConstruct } from 'constructs';
import { fail } from '../errors';

/** The protocols a NetworkPolicy port may name. */
export enum Protocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}

const PROTOCOLS = Object.values(Protocol) as string[];

/**
 * A port with its protocol, e.g. `Port.tcp(443)`, or a range of ports (`Port.tcpRange(30000, 30100)`, a
 * NetworkPolicy `endPort`). Factories never throw: the construct that receives a port validates it, so the
 * error names that construct's path.
 */
export class Port {
  /** A TCP port. */
  public static tcp(port: number): Port {
    return new Port(Protocol.TCP, port);
  }

  /** A UDP port. */
  public static udp(port: number): Port {
    return new Port(Protocol.UDP, port);
  }

  /** The TCP ports `port` to `endPort`, both included: only NetworkPolicy allowances take a range. */
  public static tcpRange(port: number, endPort: number): Port {
    return new Port(Protocol.TCP, port, endPort);
  }

  /** The UDP ports `port` to `endPort`, both included: only NetworkPolicy allowances take a range. */
  public static udpRange(port: number, endPort: number): Port {
    return new Port(Protocol.UDP, port, endPort);
  }

  /** A port (or a range, with `endPort`) from data, e.g. a parsed file: checked when a construct uses it. */
  public static of(protocol: string, port: number, endPort?: number): Port {
    return new Port(protocol, port, endPort);
  }

  /**
   * @param endPort the last port of a range (a NetworkPolicy `endPort`)
   * @default - a single port
   */
  private constructor(public readonly protocol: string, public readonly port: number, public readonly endPort?: number) {}

  /** `TCP/443`, or `TCP/30000-30100` for a range. */
  public toString(): string {
    return `${this.protocol}/${this.port}${this.endPort === undefined ? '' : `-${this.endPort}`}`;
  }
}

/** Options of `validatePort`, the port check every construct runs. */
export interface ValidatePortOptions {
  /**
   * Whether a range (`endPort`) is allowed: NetworkPolicy allowances take one, a container or Service port does not.
   * @default false
   */
  readonly range?: boolean;
}

/**
 * Throws unless `port` is a {@link Port} of a known protocol with a number from 1 to 65535, and, for a range
 * (only where `options.range` allows one), an `endPort` above it up to 65535. A port object built by hand
 * (say with an `endPort` the renderer would not know) is refused rather than silently narrowed.
 */
export function validatePort(scope: IConstruct, port: Port, options: ValidatePortOptions = {}): void {
  if (!(port instanceof Port)) {
    fail(scope, {
      problem: 'not a Port',
      value: JSON.stringify(port),
      allowed: 'a port built by Port.tcp(n), Port.udp(n), Port.tcpRange(first, last) or Port.of(protocol, n, endPort?)',
      fix: 'build the port with a Port factory: a hand-made object can carry fields (such as endPort) that would be dropped',
    });
  }
  if (!PROTOCOLS.includes(port.protocol)) {
    fail(scope, {
      problem: 'unknown protocol',
      value: port.protocol,
      allowed: PROTOCOLS.join(', '),
      fix: 'use Port.tcp(n) or Port.udp(n)',
    });
  }
  if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535) {
    fail(scope, {
      problem: 'invalid port',
      value: port.port,
      allowed: 'an integer from 1 to 65535',
      fix: `use the service's real port, e.g. Port.${port.protocol.toLowerCase()}(443)`,
    });
  }
  if (port.endPort === undefined) return;
  if (!options.range) {
    fail(scope, {
      problem: 'a port range where one port is expected',
      value: port.toString(),
      allowed: 'a single port (Port.tcp(n) or Port.udp(n)); ranges exist only in NetworkPolicy allowances',
      fix: `use Port.${port.protocol.toLowerCase()}(${port.port})`,
    });
  }
  if (!Number.isInteger(port.endPort) || port.endPort <= port.port || port.endPort > 65535) {
    fail(scope, {
      problem: 'invalid port range',
      value: port.toString(),
      allowed: `an endPort that is an integer above ${port.port} and at most 65535`,
      fix: `write the last port of the range, e.g. Port.${port.protocol.toLowerCase()}Range(${port.port}, ${Math.min(port.port + 10, 65535)}), or a single port`,
    });
  }
}
