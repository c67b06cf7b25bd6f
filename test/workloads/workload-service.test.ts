import { ContainerImage, HardenedDeployment, Port, ServiceType, WorkloadService } from '../../lib';
import { find, synthChart } from '../util';

const resources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } };

function workload(c: any, ports: Record<string, Port>) {
  return new HardenedDeployment(c, 'web', {
    name: 'web', namespace: 'apps', image: ContainerImage.fromRegistry('r.example/web:1.0'), runAsUser: 101, runAsGroup: 101, resources, ports,
  });
}

describe('WorkloadService', () => {
  test('ClusterIP by default: selects the workload by its name label, forwards to the named port', () => {
    const objects = synthChart((c) => workload(c, { http: Port.tcp(8080) }).addService({ ports: [{ targetPort: 'http' }] }));
    expect(find(objects, 'Service', 'web', 'apps')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'web' } },
      spec: {
        type: 'ClusterIP',
        selector: { 'app.kubernetes.io/name': 'web' },
        ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 'http' }],
      },
    });
  });

  test('NodePort with its explicit node port; the Service port may differ from the container port', () => {
    const objects = synthChart((c) =>
      workload(c, { gateway: Port.tcp(18789) }).addService({ name: 'gw', type: ServiceType.NODE_PORT, ports: [{ targetPort: 'gateway', port: 80, nodePort: 30789 }] }));
    const svc = find(objects, 'Service', 'gw', 'apps');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports).toEqual([{ name: 'gateway', port: 80, protocol: 'TCP', targetPort: 'gateway', nodePort: 30789 }]);
  });

  test('UDP container ports keep their protocol', () => {
    const objects = synthChart((c) => workload(c, { dns: Port.udp(5353) }).addService({ ports: [{ targetPort: 'dns' }] }));
    expect(find(objects, 'Service', 'web').spec.ports[0].protocol).toBe('UDP');
  });

  test('fails if the Service name is invalid or its port out of range', () => {
    expect(() => synthChart((c) => new WorkloadService(c, 's', { name: 'Web', backend: workload(c, { http: Port.tcp(80) }), ports: [{ targetPort: 'http' }] })))
      .toThrow(/\[test\/s\] invalid Service name: "Web"/);
    expect(() => synthChart((c) => workload(c, { http: Port.tcp(80) }).addService({ ports: [{ targetPort: 'http', port: 0 }] })))
      .toThrow(/invalid Service port: 0\. Allowed: an integer from 1 to 65535/);
  });
});
