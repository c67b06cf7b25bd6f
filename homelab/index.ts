import { App, Chart } from 'cdk8s';
import { HelmReleaseProps, ServiceSpec, buildServices } from '../lib';
import { HELM_RELEASES, buildGitOps } from './gitops';
import { SECRET_STORE } from './secrets';
import { SERVICES } from './services';
import { suppressHomelab } from './suppressions';

/** Builds the homelab into `app`: one chart per service, returned by namespace name. */
export function buildHomelab(app: App, services: readonly ServiceSpec[] = SERVICES, releases: readonly HelmReleaseProps[] = HELM_RELEASES): Map<string, Chart> {
  const built = buildServices(app, { services, secretStore: SECRET_STORE });
  const charts = new Map(built.charts);
  suppressHomelab(charts); // suppressions bind to the objects built above
  buildGitOps(app, built.unsyncedFolders, releases); // keep last: one ArgoCD Application per dist/ folder of everything above
  return charts;
}
