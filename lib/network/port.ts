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
 * A port with its protocol, e.g. `Port.tcp(443)`. Factories never throw: the construct that receives a
 * port validates it, so the error names that construct's path.
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

  /** A port from data (e.g. a parsed file): the protocol is checked when a construct uses it. */
  public static of(protocol: string, port: number): Port {
    return new Port(protocol, port);
  }

  private constructor(public readonly protocol: string, public readonly port: number) {}

  /** `TCP/443`. */
  public toString(): string {
    return `${this.protocol}/${this.port}`;
  }
}

/** Throws unless `port` is a known protocol with a number from 1 to 65535. */
export function validatePort(scope: IConstruct, port: Port): void {
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
}
