import { KubeObject } from '../../../lib';
import { externalIpsRule, nodePortRule, serviceTypeRule, sourceRangesRule } from '../../../lib/rules/pack/service-rules';
import { findingsOf } from '../fixtures';

const svc = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'apps' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec },
});

describe('HB-SVC-001 Service type', () => {
  test.each([undefined, 'ClusterIP', 'NodePort'])('compliant: %s', (type) => {
    expect(findingsOf(serviceTypeRule, [svc({ type })])).toEqual([]);
  });
  test.each(['LoadBalancer', 'ExternalName'])('violation: %s', (type) => {
    expect(findingsOf(serviceTypeRule, [svc({ type })])).toEqual([`[type:${type}]`]);
  });
  test('any Service object is checked, not only those a construct built', () => {
    expect(serviceTypeRule.suppressible).toBe(true);
    expect(findingsOf(serviceTypeRule, [{ ...svc({ type: 'LoadBalancer' }), metadata: { name: 'chart-svc', namespace: 'x' } }])).toEqual(['[type:LoadBalancer]']);
  });
});

describe('HB-SVC-002 externalIPs (CVE-2020-8554)', () => {
  test('one finding per address, not suppressible', () => {
    expect(findingsOf(externalIpsRule, [svc({ externalIPs: ['8.8.8.8', '100.64.0.1'] })])).toEqual(['[externalIP:100.64.0.1]', '[externalIP:8.8.8.8]']);
    expect(externalIpsRule.suppressible).toBeUndefined();
    expect(findingsOf(externalIpsRule, [svc({})])).toEqual([]);
  });
});

describe('HB-SVC-003 node ports', () => {
  test('every node port of a NodePort Service, random ones as auto', () => {
    const s = svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { port: 53, protocol: 'UDP' }] });
    expect(findingsOf(nodePortRule, [s])).toEqual(['[nodePort:TCP/30080]', '[nodePort:UDP/auto]']);
  });
  test('a LoadBalancer allocates node ports unless told not to', () => {
    expect(findingsOf(nodePortRule, [svc({ type: 'LoadBalancer' })])).toEqual(['[nodePort:TCP/auto]']);
    expect(findingsOf(nodePortRule, [svc({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false })])).toEqual([]);
    expect(findingsOf(nodePortRule, [svc({ type: 'ClusterIP' })])).toEqual([]);
  });
});

describe('HB-SVC-004 loadBalancerSourceRanges', () => {
  const rule = sourceRangesRule(['100.64.0.0/10']);
  test('only ranges inside the allowed ones', () => {
    const s = svc({ type: 'LoadBalancer', loadBalancerSourceRanges: ['100.64.1.0/24', '0.0.0.0/0', 'garbage'] });
    expect(findingsOf(rule, [s])).toEqual(['[loadBalancerSourceRange:0.0.0.0/0]', '[loadBalancerSourceRange:garbage]']);
    expect(findingsOf(rule, [svc({ type: 'LoadBalancer', loadBalancerSourceRanges: ['100.100.0.0/16'] })])).toEqual([]);
  });
});
