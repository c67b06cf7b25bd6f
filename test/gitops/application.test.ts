import { Chart } from 'cdk8s';
import { GitOpsApplication, GitOpsApplicationProps, GitOpsProject, helmValues } from '../../lib';
import { crdSchema, schemaErrors } from '../secrets/crd-schema';
import { find, synthChart } from '../util';

const REPO = 'https://github.com/o/homelab';
const CHARTS = 'https://charts.example.com';
const APPLICATION_SCHEMA = crdSchema('argo-cd-v2.14.21/application-crd.yaml', 'v1alpha1');

function application(props: Partial<GitOpsApplicationProps> = {}, configure: (p: GitOpsProject) => void = () => undefined) {
  const objects = synthChart((c: Chart) => {
    const project = new GitOpsProject(c, 'Project', { name: 'p', description: 'test', sourceRepos: [REPO, CHARTS], namespaces: ['apps'] });
    configure(project);
    new GitOpsApplication(c, 'App', {
      name: 'app',
      project,
      destinationNamespace: 'apps',
      ...(props.helm ? {} : { git: { repoURL: REPO, path: 'dist/apps', targetRevision: 'main' } }),
      ...props,
    });
  });
  return find(objects, 'Application', 'app', 'argocd');
}

describe('GitOpsApplication', () => {
  test('snapshot (git source)', () => {
    expect(application()).toMatchSnapshot();
  });

  test('automated sync with prune and self-heal, server-side apply, one owner per object, prune last, retried', () => {
    const app = application();
    expect(app.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true },
      syncOptions: ['ServerSideApply=true', 'FailOnSharedResource=true', 'PruneLast=true'],
      retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
    });
    expect(app.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
  });

  test('a git folder at the pinned revision, in its project, on the in-cluster server; no cascading finalizer', () => {
    const app = application();
    expect(app.spec.project).toBe('p');
    expect(app.spec.source).toEqual({ repoURL: REPO, path: 'dist/apps', targetRevision: 'main' });
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'apps' });
    expect(app.metadata.finalizers).toBeUndefined();
    expect(app.metadata.annotations).toBeUndefined();
    expect(schemaErrors(APPLICATION_SCHEMA, app)).toEqual([]);
  });

  test('a Helm chart at its exact version, release named after the Application, values as valuesObject', () => {
    const app = application({ helm: { repoURL: CHARTS, chart: 'thing', version: '1.2.3', values: helmValues({ a: { b: 1 } }) }, wave: 1 });
    expect(app.spec.source).toEqual({ repoURL: CHARTS, chart: 'thing', targetRevision: '1.2.3', helm: { releaseName: 'app', valuesObject: { a: { b: 1 } } } });
    expect(app.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
    expect(schemaErrors(APPLICATION_SCHEMA, app)).toEqual([]);
  });

  test('extra sync options come after the secure defaults', () => {
    expect(application({ extraSyncOptions: ['RespectIgnoreDifferences=true'] }).spec.syncPolicy.syncOptions).toEqual([
      'ServerSideApply=true',
      'FailOnSharedResource=true',
      'PruneLast=true',
      'RespectIgnoreDifferences=true',
    ]);
  });

  describe('fails if', () => {
    test('the git revision is HEAD or empty', () => {
      for (const targetRevision of ['HEAD', '']) {
        expect(() => application({ git: { repoURL: REPO, path: 'dist/apps', targetRevision } })).toThrow(
          `[test/App] git targetRevision must be an explicit branch, tag or commit: ${JSON.stringify(targetRevision)}.`,
        );
      }
    });

    test('the chart version is a range or latest', () => {
      for (const version of ['^1.2.3', 'latest']) {
        expect(() => application({ helm: { repoURL: CHARTS, chart: 'thing', version } })).toThrow(
          `[test/App] Helm chart version must be exact: ${JSON.stringify(version)}.`,
        );
      }
    });

    test('it has no source, or two', () => {
      expect(() => application({ git: undefined, helm: undefined })).toThrow(/\[test\/App\] an Application needs exactly one source/);
      expect(() =>
        application({ git: { repoURL: REPO, path: 'dist/apps', targetRevision: 'main' }, helm: { repoURL: CHARTS, chart: 'x', version: '1.0.0' } }),
      ).toThrow(/exactly one source/);
    });

    test('the path leaves the repository', () => {
      expect(() => application({ git: { repoURL: REPO, path: '../other', targetRevision: 'main' } })).toThrow(/\[test\/App\] invalid source path: "..\/other"/);
    });

    test('its project does not allow its source or destination', () => {
      expect(() => application({ git: { repoURL: 'https://github.com/o/other', path: 'dist/apps', targetRevision: 'main' } })).toThrow(
        /\[test\/App\] Application "app": project "p" does not allow source https:\/\/github.com\/o\/other/,
      );
      expect(() => application({ destinationNamespace: 'elsewhere' })).toThrow(/project "p" does not allow destination namespace "elsewhere"/);
    });
  });
});
