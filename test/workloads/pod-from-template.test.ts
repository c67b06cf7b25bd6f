import { KubeObject, podFromTemplate } from '../../lib';

describe('podFromTemplate', () => {
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'apps' },
    spec: {
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'web' }, annotations: { a: 'b' } },
        spec: { containers: [{ name: 'web', image: 'r/web:1' }] },
      },
    },
  };

  test('the pod a workload creates: its template, named like the workload, in its namespace', () => {
    expect(podFromTemplate(deployment)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'web' }, annotations: { a: 'b' } },
      spec: { containers: [{ name: 'web', image: 'r/web:1' }] },
    });
  });

  test('the pod spec is a copy: changing it leaves the workload alone', () => {
    (podFromTemplate(deployment) as any).spec.containers[0].image = 'other';
    expect((deployment as any).spec.template.spec.containers[0].image).toBe('r/web:1');
  });

  test('a CronJob\'s pod comes from its job template', () => {
    const cron: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'apps' }, spec: { jobTemplate: { spec: (deployment as any).spec } } };
    expect(podFromTemplate(cron)).toEqual({ ...podFromTemplate(deployment), metadata: { ...podFromTemplate(deployment).metadata, name: 'nightly' } });
  });

  test('fails for an object without a pod template', () => {
    expect(() => podFromTemplate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } })).toThrow(
      /podFromTemplate: Service s has no pod template\. Allowed: Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod\. Fix: pass a workload object/,
    );
    // A workload kind whose template has no pod spec.
    expect(() => podFromTemplate({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: {} } } as KubeObject)).toThrow(
      /podFromTemplate: Deployment d has no pod template\. Allowed: .*\. Fix: pass a workload object/,
    );
  });
});
