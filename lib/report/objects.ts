import { decodeEntries, entriesText, exemptionAnnotation } from '../annotations';
import { podTemplateOf } from '../pod-template';
import { KubeObject } from '../synth/manifest';
import { isValidReason } from '../validate';
import { compare, sortBy } from './markdown';

/** The synthesized objects, indexed once by kind (every table reads a few kinds). */
export class ObjectIndex {
  private readonly byKind = new Map<string, KubeObject[]>();

  constructor(public readonly objects: readonly KubeObject[]) {
    for (const o of objects) {
      const list = this.byKind.get(o.kind) ?? [];
      list.push(o);
      this.byKind.set(o.kind, list);
    }
    for (const [kind, list] of this.byKind) {
      this.byKind.set(kind, sortBy(list, (o) => [o.metadata.namespace ?? '', o.metadata.name]));
    }
  }

  /** The objects of `kind`, sorted by namespace and name. */
  public ofKind(kind: string): readonly KubeObject[] {
    return this.byKind.get(kind) ?? [];
  }
}

/** An object that runs pods, with its pod template read generically. */
export interface Workload {
  readonly object: KubeObject;
  readonly namespace: string;
  /** `deployment/openclaw`: kubectl's spelling. */
  readonly name: string;
  readonly podSpec: any;
  readonly podLabels: Readonly<Record<string, string>>;
  /** The object's and its pod template's annotations (the object's win, as in the rule engine's exemptions). */
  readonly annotations: Readonly<Record<string, string>>;
}

/** Every object with a pod spec (Pod, CronJob and the workload kinds), sorted. */
export function workloadsOf(index: ObjectIndex): Workload[] {
  const out: Workload[] = [];
  for (const o of index.objects) {
    const template = podTemplateOf(o);
    if (!template?.spec || !o.metadata.namespace) continue;
    out.push({
      object: o,
      namespace: o.metadata.namespace,
      name: `${o.kind.toLowerCase()}/${o.metadata.name}`,
      podSpec: template.spec,
      podLabels: template.metadata?.labels ?? {},
      annotations: { ...template.metadata?.annotations, ...o.metadata.annotations },
    });
  }
  return sortBy(out, (w) => [w.namespace, w.name]);
}

/** Every container of a pod spec (init containers first), with its kind. */
export function containersOf(podSpec: any): { readonly container: any; readonly init: boolean }[] {
  return [
    ...(podSpec.initContainers ?? []).map((container: any) => ({ container, init: true })),
    ...(podSpec.containers ?? []).map((container: any) => ({ container, init: false })),
  ];
}

const EXEMPTION_PREFIX = exemptionAnnotation('');

/**
 * The reasoned exemptions in `annotations` (`baseline.homelab.dev/exemption.<what>`), sorted by what. One
 * without a real reason (too short, a placeholder) is no exemption, as for the rule engine.
 */
export function exemptionsIn(annotations: Readonly<Record<string, string>> | undefined): { what: string; reason: string }[] {
  return Object.entries(annotations ?? {})
    .filter(([k, value]) => k.startsWith(EXEMPTION_PREFIX) && isReasoned(value))
    .map(([k, value]) => ({ what: k.slice(EXEMPTION_PREFIX.length), reason: entriesText(value) }))
    .sort((a, b) => compare(a.what, b.what));
}

/** A plain reason that says something, or a list whose every entry does. */
function isReasoned(value: string): boolean {
  const entries = decodeEntries(value);
  return entries.size ? [...entries.values()].every(isValidReason) : isValidReason(value);
}

/** `app=x, tier=y` for a label map (sorted), or '' when empty. */
export function labelText(labels: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(labels ?? {})
    .sort(compare)
    .map((k) => `${k}=${labels![k]}`)
    .join(', ');
}

/** `ns/name`, or `name` for a cluster-scoped object. */
export function qualifiedName(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}
