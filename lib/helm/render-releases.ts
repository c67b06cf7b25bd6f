import { Construct } from 'constructs';
import { fail } from '../errors';
import { HelmReleaseProps } from '../gitops/app-of-apps';
import { validateReason } from '../validate';
import { ChartValues } from './chart-values';
import { ChartRenderer, RenderedChart } from './rendered-chart';

/**
 * Renders every release into dist/ (see {@link RenderedChart}) except those in `notRendered`, which stay
 * Helm-source Applications with their reason emitted on the Application and shown in the report: a
 * release is never silently left unrendered. Returns the releases with `rendered` (or the reason) set.
 */
export function renderReleases(scope: Construct, releases: readonly HelmReleaseProps[], renderer: ChartRenderer, notRendered: ReadonlyMap<string, string> = new Map()): HelmReleaseProps[] {
  for (const name of notRendered.keys()) {
    if (!releases.some((r) => r.name === name)) {
      fail(scope, {
        problem: 'a release listed as not rendered does not exist',
        value: name,
        allowed: `one of ${releases.map((r) => r.name).join(', ')}`,
        fix: 'remove the entry',
      });
    }
  }
  return releases.map((release) => {
    const reason = notRendered.get(release.name);
    if (reason !== undefined) return { ...release, notRenderedReason: validateReason(scope, `release ${release.name} not rendered`, reason) };
    if (release.values !== undefined && !(release.values instanceof ChartValues)) {
      fail(`${scope.node.path}/${release.name}`, {
        problem: `release "${release.name}", chart ${release.chart}@${release.version}: values are not ChartValues, so their keys cannot be checked against the chart`,
        value: release.name,
        allowed: 'values built with ChartValues (typed part plus the `unchecked` escape hatch)',
        fix: 'wrap them: new ChartValues({ typed: {...} })',
      });
    }
    const rendered = new RenderedChart(scope, release.name, {
      release: release.name,
      chart: release.chart,
      version: release.version,
      namespace: release.namespace,
      values: release.values,
      clusterKinds: release.clusterResources ?? [],
      renderer,
    });
    return { ...release, rendered };
  });
}
