import { GATEWAY_PROXIES } from '../../homelab/gateway';
import { homelabReportInput } from '../../homelab/synthesis';
import { KubeObject } from '../../lib';
import { brokerNamespaces, hostTouchingWorkloads, renderBrokerArchitecture, renderHostIsolation } from '../../lib/report/diagrams';
import { FlowAnalysis } from '../../lib/report/network-flows';
import { ObjectIndex } from '../../lib/report/objects';
import { smallCluster } from './fixture';

const render = (objects: readonly KubeObject[]) => {
  const index = new ObjectIndex(objects);
  return { index, flows: new FlowAnalysis(index) };
};
/** A copy of the fixture with the site Deployment's pod spec changed. */
const withSitePod = (change: (spec: any) => void): KubeObject[] => smallCluster().map((o) => {
  if (o.kind !== 'Deployment' || o.metadata.name !== 'site') return o;
  const copy = JSON.parse(JSON.stringify(o));
  change(copy.spec.template.spec);
  return copy;
});
const cidrId = (cidr: string) => `to_cidr_${cidr.replace(/[^0-9]/g, '_')}`;

describe('host isolation, computed for each workload that touches the node', () => {
  test('the hostPath with its mode, blocked host namespaces, the token as the ServiceAccount sets it', () => {
    const { index, flows } = render(smallCluster());
    expect(hostTouchingWorkloads(index).map((w) => w.name)).toEqual(['deployment/site']);
    const diagram = renderHostIsolation(index, flows);
    expect(diagram).toContain('hp_static["/srv/site"]');
    expect(diagram).toContain('pod -- "hostPath static, read-only" --> hp_static');
    expect(diagram).toContain('pod -. "BLOCKED: no hostNetwork" .-> hostnet');
    // The fixture's ServiceAccount "site" has automountServiceAccountToken: false.
    expect(diagram).toContain('pod -. "no API token mounted" .-> api');
  });

  test('a shared host namespace is drawn as reached, not blocked', () => {
    const { index, flows } = render(withSitePod((spec) => { spec.hostNetwork = true; spec.hostPID = true; }));
    const diagram = renderHostIsolation(index, flows);
    expect(diagram).toContain('pod -- "hostNetwork" --> hostnet');
    expect(diagram).toContain('pod -- "hostPID" --> procs');
    expect(diagram).not.toContain('BLOCKED: no hostNetwork');
  });

  test('without hostPath or host namespaces there is nothing to draw', () => {
    const { index, flows } = render(withSitePod((spec) => {
      spec.volumes = [];
      for (const c of spec.containers) c.volumeMounts = [];
    }));
    expect(renderHostIsolation(index, flows)).toBe('_No workload mounts a hostPath volume or shares a host namespace._');
  });

  test('the homelab: OpenClaw, with each of its declared host folders', () => {
    const { index, flows } = render(homelabReportInput().objects);
    expect(hostTouchingWorkloads(index).map((w) => `${w.namespace}/${w.name}`)).toEqual(['openclaw/deployment/openclaw']);
    const diagram = renderHostIsolation(index, flows);
    for (const v of (index.ofKind('Deployment').find((d) => d.metadata.name === 'openclaw') as any).spec.template.spec.volumes.filter((x: any) => x.hostPath)) {
      expect(diagram).toContain(`["${v.hostPath.path}"]`);
    }
  });
});

describe('the architecture of broker namespaces (the personal gateway)', () => {
  const { index, flows } = render(homelabReportInput().objects);
  const diagram = renderBrokerArchitecture(index, flows);

  test('only namespaces without same-namespace traffic that serve others', () => {
    expect(brokerNamespaces(index, flows)).toEqual(['personal-gateway']);
  });

  test.each(GATEWAY_PROXIES.map((p) => [p.name, p] as const))('%s: called by OpenClaw on its port, reaches only its backend', (_, proxy) => {
    const id = `w_deployment_${proxy.name.replace(/-/g, '_')}`;
    expect(diagram).toContain(`--> ${id}`);
    expect(diagram).toMatch(new RegExp(`from_openclaw\\w* -- "Service ${proxy.name} :${proxy.port.port}" --> ${id}`));
    expect(diagram).toContain(`${id} -- ":${proxy.backend.port.port}" --> ${cidrId(proxy.backend.cidr)}`);
    for (const other of GATEWAY_PROXIES.filter((p) => p.backend.cidr !== proxy.backend.cidr)) {
      expect(diagram).toContain(`${id} -. "BLOCKED" .-> ${cidrId(other.backend.cidr)}`);
    }
  });
});
