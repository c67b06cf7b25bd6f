import { KubeObject } from '../synth/manifest';

/** How a change affects security. */
export enum Impact {
  /** Something is allowed that was not before: a reviewer must acknowledge it. */
  WIDENING = 'widening',
  /** Security-relevant but not wider (a narrowing, a version bump, a reworded reason). */
  CHANGE = 'change',
}

/** What a finding is about; the Markdown summary groups by it. */
export type Topic = 'rbac' | 'network' | 'pod-security' | 'workload' | 'gitops' | 'exemption' | 'prune' | 'version' | 'service' | 'secrets';

/** One security-relevant change of one object (or of a pair, for a scope change). */
export interface DiffFinding {
  /** `Kind namespace/name` of the object after the change (before, if it was removed). */
  readonly object: string;
  readonly impact: Impact;
  readonly topic: Topic;
  /** What changed, in words, e.g. `grants delete on apps/deployments (verb added)`. */
  readonly message: string;
}

/** A finding before the object it belongs to is attached. */
export type Note = Omit<DiffFinding, 'object'>;

/** Compares one object's two versions (either may be absent: added or removed) and notes what matters. */
export type Check = (before: KubeObject | undefined, after: KubeObject | undefined) => Note[];

/** `Kind name` or `Kind namespace/name`, how findings name an object. */
export function describeObject(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

export function widening(topic: Topic, message: string): Note {
  return { impact: Impact.WIDENING, topic, message };
}

export function change(topic: Topic, message: string): Note {
  return { impact: Impact.CHANGE, topic, message };
}
