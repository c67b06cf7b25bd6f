import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { parse } from 'yaml';
import { fail } from '../errors';
import { IHelmValues } from '../gitops/helm-values';
import { didYouMean, validateDnsLabel, validateReason } from '../validate';
import { canonicalJson } from './render';

/** Values the typed part does not cover, with the reason they are needed: checked by nothing but review. */
export interface UncheckedValues {
  /** Plain chart values, deep-merged over the typed ones (a key both set is refused). */
  readonly values: Record<string, unknown>;
  /** Why these values are needed and why the typed part cannot say it (at least 20 characters). */
  readonly reason: string;
}

/** Props of {@link ChartValues}. */
export interface ChartValuesProps {
  /**
   * The typed values, or a function computing them (it may refuse bad settings with the release's construct
   * path): every key must be one the chart's values.yaml (or a subchart's) declares.
   * @default - the chart's defaults
   */
  readonly typed?: object | ((scope: IConstruct) => object);
  /**
   * The escape hatch: anything else the chart accepts, with its reason, shown in the report.
   * @default - none
   */
  readonly unchecked?: UncheckedValues;
  /**
   * Dotted paths of maps the chart passes through key by key (e.g. argo-cd's `configs.cm`, the data of a
   * ConfigMap): any key is accepted below them although values.yaml lists only some.
   * @default - none
   */
  readonly openMaps?: readonly string[];
  /**
   * Secure defaults the typed settings turned off, each with its reason (e.g. `local-admin` on argo-cd): written
   * on the release's Application as `baseline.homelab.dev/exemption.<what>` and shown in the report.
   * @default - none
   */
  readonly exemptions?: Readonly<Record<string, string>>;
}

type Tree = Record<string, unknown>;

/**
 * A chart release's values: a typed part, checked key by key against the chart's own values.yaml, plus an
 * escape hatch with a reason. What {@link ChartValues.render} returns is exactly what helm renders and what
 * the release's Application records, so the values rendered are the values reviewed.
 */
export class ChartValues implements IHelmValues {
  /** The reason of the escape hatch, if it is used. */
  public readonly uncheckedReason?: string;
  /**
   * Every opt-out of these values with its reason, by what it opts out of: the typed settings' exemptions, and
   * `unchecked-values` when the escape hatch is used.
   */
  public readonly exemptions: Readonly<Record<string, string>>;
  private readonly typed: (scope: IConstruct) => Tree;
  private readonly unchecked: Tree;
  private readonly openMaps: ReadonlySet<string>;

  constructor(props: ChartValuesProps = {}) {
    this.openMaps = new Set(props.openMaps ?? []);
    const typed = props.typed ?? {};
    this.typed = (scope) => (typeof typed === 'function' ? typed(scope) : typed) as Tree;
    this.unchecked = props.unchecked?.values ?? {};
    this.uncheckedReason = props.unchecked?.reason;
    this.exemptions = { ...props.exemptions, ...(this.uncheckedReason !== undefined ? { 'unchecked-values': this.uncheckedReason } : {}) };
  }

  /** The merged values; a key set both typed and unchecked is refused (one source of truth per key). */
  public render(scope: IConstruct): Record<string, unknown> {
    for (const [what, reason] of Object.entries(this.exemptions)) {
      validateDnsLabel(scope, 'chart values exemption', what);
      validateReason(scope, what === 'unchecked-values' ? 'unchecked chart values' : `chart values exemption ${what}`, reason);
    }
    return merge(scope, this.typed(scope), this.unchecked, []);
  }

  /** The typed part as canonical JSON: what {@link checkKeys} reads besides the chart. */
  public typedJson(scope: IConstruct): string {
    return canonicalJson(this.typed(scope));
  }

  /**
   * Refuses a typed key the chart does not declare: the chart's values.yaml, its subcharts' values.yaml
   * under their name or alias, and `global`. Below a key whose default is an empty map (labels,
   * annotations, free-form config) any key is accepted.
   */
  public checkKeys(scope: IConstruct, chartDir: string, what: string): void {
    walk(scope, this.typed(scope), chartDefaults(chartDir), [], what, this.openMaps);
  }
}

function walk(scope: IConstruct, typed: Tree, defaults: Tree, at: string[], what: string, open: ReadonlySet<string>): void {
  if (open.has(at.join('.'))) return;
  for (const [key, value] of Object.entries(typed)) {
    const here = [...at, key];
    if (!(key in defaults)) {
      fail(scope, {
        problem: `${what}: typed values key ${here.join('.')} is not a value the chart declares${didYouMean(key, Object.keys(defaults))}`,
        value: here.join('.'),
        allowed: `keys of the chart's values.yaml at ${at.length ? at.join('.') : 'the top level'}: ${Object.keys(defaults).sort().join(', ')}`,
        fix: 'correct the key, or pass a value the chart reads without declaring it through `unchecked` with a reason',
      });
    }
    const d = defaults[key];
    if (isTree(value) && isTree(d) && Object.keys(d).length) walk(scope, value, d, here, what, open);
  }
}

/** The chart's declared values: its values.yaml plus each subchart's under its name (or alias). */
function chartDefaults(chartDir: string): Tree {
  const read = (f: string): Tree => (fs.existsSync(f) ? ((parse(fs.readFileSync(f, 'utf8'), { version: '1.2' }) as Tree | null) ?? {}) : {});
  const defaults: Tree = { global: {}, ...read(path.join(chartDir, 'values.yaml')) };
  const meta = read(path.join(chartDir, 'Chart.yaml')) as { dependencies?: { name: string; alias?: string }[] };
  for (const dep of meta.dependencies ?? []) {
    const sub = chartDefaults(path.join(chartDir, 'charts', dep.name));
    const key = dep.alias ?? dep.name;
    defaults[key] = isTree(defaults[key]) ? { ...sub, ...(defaults[key] as Tree), enabled: true } : { ...sub, enabled: true };
  }
  return defaults;
}

function merge(scope: IConstruct, a: Tree, b: Tree, at: string[]): Tree {
  const out: Tree = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const here = [...at, key];
    if (!(key in a)) out[key] = value;
    else if (isTree(a[key]) && isTree(value)) out[key] = merge(scope, a[key] as Tree, value, here);
    else {
      fail(scope, {
        problem: 'chart value set both typed and unchecked',
        value: here.join('.'),
        allowed: 'each value set in one place',
        fix: 'keep the typed one and remove it from `unchecked`',
      });
    }
  }
  return out;
}

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
