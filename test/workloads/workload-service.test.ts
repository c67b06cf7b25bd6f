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
      .toThrow(/\[test\/web\/Service-web\] invalid port: 0\. Allowed: an integer from 1 to 65535\. Fix: use the service's real port/);
  });

  test('fails if the Service name is not a DNS-1035 label (it must start with a letter), explicit or the workload\'s', () => {
    expect(() => synthChart((c) => new WorkloadService(c, 's', { name: '1st', backend: workload(c, { http: Port.tcp(80) }), ports: [{ targetPort: 'http' }] })))
      .toThrow(/\[test\/s\] invalid Service name: "1st"\. Allowed: a DNS-1035 label: 1-63 lower-case letters, digits or "-", starting with a letter.*Fix: rename it, e\.g\. "st"/);
    const numbered = (c: any) => new HardenedDeployment(c, 'web', {
      name: '1st', namespace: 'apps', image: ContainerImage.fromRegistry('r.example/web:1.0'), runAsUser: 101, runAsGroup: 101, resources, ports: { http: Port.tcp(80) },
    });
    // The workload name is a fine DNS-1123 label; only the Service it names by default is refused, with a fix that says so.
    expect(() => synthChart((c) => numbered(c).addService({ ports: [{ targetPort: 'http' }] })))
      .toThrow(/\[test\/web\] invalid Service name \(the workload name\): "1st"\. Allowed: a DNS-1035 label.*Fix: pass the Service `name` \(starting with a letter\), or rename the workload/);
    expect(find(synthChart((c) => numbered(c).addService({ name: 'first', ports: [{ targetPort: 'http' }] })), 'Service', 'first').spec.selector)
      .toEqual({ 'app.kubernetes.io/name': '1st' });
  });

  test.each([
    ['the same port number', { a: Port.tcp(8080), b: Port.tcp(8081) }, [{ targetPort: 'a', port: 80 }, { targetPort: 'b', port: 80 }], /"b TCP\/80"\..*Fix: remove it or change its port: "a TCP\/80" is declared already/],
    ['the same container port (one port name)', { a: Port.tcp(8080) }, [{ targetPort: 'a' }, { targetPort: 'a', port: 80 }], /"a TCP\/80"\..*"a TCP\/8080" is declared already/],
    ['the same nodePort', { a: Port.tcp(8080), b: Port.tcp(8081) }, [{ targetPort: 'a', nodePort: 30080 }, { targetPort: 'b', nodePort: 30080 }], /"b TCP\/8081 nodePort 30080"/],
  ])('fails if two ports share %s', (_what, ports, servicePorts, message) => {
    const type = servicePorts.some((p: any) => p.nodePort) ? ServiceType.NODE_PORT : ServiceType.CLUSTER_IP;
    expect(() => synthChart((c) => workload(c, ports).addService({ type, ports: servicePorts })))
      .toThrow(new RegExp(`^\\[test/web/Service-web\\] Service port declared twice: ${message.source}`));
  });

  test('the same port number over TCP and UDP is two ports', () => {
    const objects = synthChart((c) => workload(c, { dns: Port.udp(53), dnstcp: Port.tcp(53) }).addService({ ports: [{ targetPort: 'dns' }, { targetPort: 'dnstcp' }] }));
    expect(find(objects, 'Service', 'web').spec.ports.map((p: any) => `${p.protocol}/${p.port}`)).toEqual(['UDP/53', 'TCP/53']);
  });
});
