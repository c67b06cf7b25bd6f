import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../errors';
import { groupOf } from '../gitops/sync';
import { GroupKind, groupKindKey } from '../gitops/project';
import { SuppressionProps, Suppressions } from '../rules/suppressions';
import { KubeObject } from '../synth/manifest';
import { isClusterScoped, markClusterScoped } from '../synth/scope';
import { assignFolder } from '../synth/synthesize';
import { validateDnsLabel } from '../validate';
import { verifyChartSource } from './chart-source';
import { ChartValues } from './chart-values';
import { dropUnknownCrdFields } from './crd-fields';
import { HelmTool, renderChart } from './render';

/** Where pinned charts come from and how they are rendered: shared by every release of an app. */
export interface ChartRenderer {
  /** The folder of pinned chart sources (`<chart>-<version>/` folders and one SHA256SUMS). */
  readonly chartsDir: string;
  /** The Kubernetes version helm renders for (`--kube-version`), e.g. the cluster's `1.28.15`. */
  readonly kubeVersion: string;
  /** The helm binary. */
  readonly helm: HelmTool;
  /**
   * The render cache folder.
   * @default - see `defaultRenderCacheDir()`
   */
  readonly cacheDir?: string;
}

/** Props of {@link RenderedChart}. */
export interface RenderedChartProps {
  /** The Helm release name. */
  readonly release: string;
  /** The chart name. */
  readonly chart: string;
  /** The exact chart version. */
  readonly version: string;
  /** The release namespace: every namespaced object must land there. */
  readonly namespace: string;
  /**
   * The release's values.
   * @default - the chart's defaults
   */
  readonly values?: ChartValues;
  /** The cluster-scoped kinds the release may render (each with its reason, declared on the release). */
  readonly clusterKinds: readonly GroupKind[];
  readonly renderer: ChartRenderer;
}

/** On every rendered object: `<release> (<chart>@<version>)`, so the report and the diff know its origin. */
export const RENDERED_FROM_ANNOTATION = 'baseline.homelab.dev/rendered-from';

/** The dist/ folder of a rendered release: the leading `_` keeps it apart from namespace folders. */
export function chartFolder(release: string): string {
  return `_chart-${release}`;
}

/** The dist/ folder of a rendered release's CRDs: synced in an earlier wave than anything using them. */
export function chartCrdFolder(release: string): string {
  return `${chartFolder(release)}-crds`;
}

/**
 * A pinned chart rendered offline by real helm into plain objects: the rendered-manifests pattern, like
 * cdk8s' `Helm` construct, plus what the baseline needs around it: the chart source verified against its
 * digests first, typed values checked against the chart's values.yaml, a render cache keyed by chart
 * digest, values digest and helm build, and a refusal of any cluster-scoped kind the release does not
 * declare or any object outside its namespace. Its objects go to {@link chartFolder} (CRDs to
 * {@link chartCrdFolder}), where the rule pack, the report and the diff see them like every other object.
 */
export class RenderedChart extends Construct {
  public readonly release: string;
  public readonly chart: string;
  public readonly version: string;
  public readonly namespace: string;
  /** The dist/ folder of its objects. */
  public readonly folder: string;
  /** The dist/ folder of its CRDs, if it renders any. */
  public readonly crdFolder?: string;
  /** The API groups of the CRDs it renders, sorted. */
  public readonly crdGroups: readonly string[];
  /** The chart source digest (see `verifyChartSource`). */
  public readonly chartDigest: string;
  /** The values helm rendered, exactly. */
  public readonly values: Record<string, unknown>;
  /** Where {@link values} came from (the release's values object). */
  public readonly valuesSource: ChartValues;
  /** The values' opt-outs with their reasons (see {@link ChartValues.exemptions}). */
  public readonly exemptions: Readonly<Record<string, string>>;
  /** The helm build that rendered it. */
  public readonly helmIdentity: string;
  /** The rendered objects, as helm printed them (plus the release namespace where the chart left it out). */
  public readonly objects: readonly KubeObject[];
  /** True when the render came from the cache. */
  public readonly cached: boolean;

  constructor(scope: Construct, id: string, props: RenderedChartProps) {
    super(scope, id);
    this.release = validateDnsLabel(this, 'Helm release name', props.release);
    this.chart = props.chart;
    this.version = props.version;
    this.namespace = validateDnsLabel(this, 'release namespace', props.namespace);
    this.folder = chartFolder(this.release);
    const what = `release "${this.release}", chart ${this.chart}@${this.version}`;
    const source = verifyChartSource({ ...props.renderer, chart: this.chart, version: this.version, path: this.node.path, release: this.release });
    const values = (this.valuesSource = props.values ?? new ChartValues());
    this.values = values.render(this);
    this.exemptions = values.exemptions;
    this.chartDigest = source.digest;
    this.helmIdentity = props.renderer.helm.identity;
    const result = renderChart({
      chart: source, release: this.release, namespace: this.namespace, kubeVersion: props.renderer.kubeVersion,
      values: this.values, helm: props.renderer.helm, path: this.node.path, cacheDir: props.renderer.cacheDir,
      // Reading the chart's values.yaml files costs more than the rest of a cached render: only on a miss.
      check: { key: `typed ${values.typedJson(this)}`, run: () => values.checkKeys(this, source.dir, what) },
    });
    this.cached = result.cached;

    const crds = result.objects.filter((o) => o.kind === 'CustomResourceDefinition');
    const clusterCustomKinds = new Set(crds.filter((c) => (c.spec as { scope?: string })?.scope === 'Cluster').map((c) => (c.spec as { names: { kind: string } }).names.kind));
    const allowed = new Set(props.clusterKinds.map(groupKindKey));
    this.crdGroups = [...new Set(crds.map((c) => (c.spec as { group: string }).group))].sort();
    const objects: KubeObject[] = [];
    const main = new Construct(this, 'objects');
    assignFolder(main, this.folder);
    const crdScope = crds.length ? new Construct(this, 'crds') : undefined;
    if (crdScope) {
      this.crdFolder = chartCrdFolder(this.release);
      assignFolder(crdScope, this.crdFolder);
    }
    for (const rendered of result.objects) {
      const cluster = isClusterScoped(rendered.kind) || clusterCustomKinds.has(rendered.kind);
      const gk = { group: groupOf(rendered), kind: rendered.kind };
      const metadata = {
        ...rendered.metadata,
        ...(cluster ? {} : { namespace: rendered.metadata.namespace ?? this.namespace }),
        annotations: { ...rendered.metadata.annotations, [RENDERED_FROM_ANNOTATION]: `${this.release} (${this.chart}@${this.version})` },
      };
      // CRD fields newer than the cluster are dropped (recorded on the CRD), or its apply would be refused.
      const o = dropUnknownCrdFields({ ...rendered, metadata } as KubeObject, props.renderer.kubeVersion);
      if (cluster && !allowed.has(groupKindKey(gk))) {
        fail(this, {
          problem: `${what}: renders a cluster-scoped ${rendered.kind} "${rendered.metadata.name}" the release does not declare`,
          value: groupKindKey(gk),
          allowed: `the release's clusterResources: ${[...allowed].sort().join(', ') || 'none'}`,
          fix: 'change the values so the chart does not render it, or declare the kind in the release\'s clusterResources with the reason it needs it',
        });
      }
      if (!cluster && o.metadata.namespace !== this.namespace) {
        fail(this, {
          problem: `${what}: renders ${rendered.kind} "${rendered.metadata.name}" into namespace "${o.metadata.namespace}", outside the release namespace`,
          value: o.metadata.namespace,
          allowed: `namespace "${this.namespace}" (its Application has one destination and one project)`,
          fix: 'change the values that move it (e.g. a namespaceOverride), or render that part as its own release',
        });
      }
      const target = rendered.kind === 'CustomResourceDefinition' ? crdScope! : main;
      const apiObject = new ApiObject(target, `${o.kind}-${o.metadata.namespace ?? ''}-${o.metadata.name}`, o);
      if (cluster) markClusterScoped(apiObject);
      objects.push(o);
    }
    this.objects = objects;
  }

  /**
   * Accepts an upstream default of the chart that breaks a rule, with its reason, on the named objects (`kind`
   * and `name`, each one the chart renders): a suppression marked `upstreamDefault`, which may cover an ERROR
   * rule unless the rule is never acceptable (e.g. a cluster-admin binding). It shows in the risk register.
   * Never release-wide: an object a values change adds (`extraObjects`) is judged on its own.
   */
  public acceptUpstreamDefault(props: Omit<SuppressionProps, 'upstreamDefault'>, objects: readonly { readonly kind: string; readonly name: string }[]): void {
    if (!objects.length) {
      fail(this, {
        problem: `release "${this.release}": accepted upstream default of ${props.id} names no object`,
        value: props.id,
        allowed: 'one or more rendered objects, each by kind and name',
        fix: 'list the objects whose upstream default is accepted: a release-wide acceptance would also accept any object a values change adds',
      });
    }
    for (const o of objects) Suppressions.add(this.objectConstruct(o.kind, o.name), { ...props, upstreamDefault: true });
  }

  /** The construct of one rendered object (to bind a suppression to it); throws naming what exists. */
  public objectConstruct(kind: string, name: string, namespace?: string): ApiObject {
    const found = this.node.findAll().filter(ApiObject.isApiObject).find((c) => c.kind === kind && c.name === name && (namespace === undefined || c.metadata.namespace === namespace));
    if (!found) {
      fail(this, {
        problem: `release "${this.release}", chart ${this.chart}@${this.version}: renders no ${kind} "${name}"`,
        value: `${kind}/${name}`,
        allowed: `one of its objects: ${this.objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort().join(', ') || `no ${kind} at all`}`,
        fix: 'correct the kind or name, or remove the entry if the chart no longer renders it',
      });
    }
    return found;
  }
}
