/** A Kubernetes object as synthesized (after `toJson()`), the only input of rules, report and diff. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

/** One synthesized object and where it came from and goes to. */
export interface Manifest {
  /** The construct path of the object, for error messages and suppressions. */
  readonly constructPath: string;
  /** The `dist/` folder (one ArgoCD Application each). */
  readonly folder: string;
  /** The file name inside the folder. */
  readonly file: string;
  /** The object itself. */
  readonly object: KubeObject;
}

/** `kind/namespace/name`, the identity of an object across synths (the diff and the inventory use it). */
export function objectId(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}
