import { AttackCase } from '../attack-case';
import { edit, rawObject } from '../edits';

const CLASS = 'service-exposure';
const SELECTOR = { 'app.kubernetes.io/name': 'launchfast' };
const PORT = { name: 'http', port: 8080, protocol: 'TCP', targetPort: 'http' };
const service = (spec: Record<string, unknown>) =>
  rawObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'exposed', namespace: 'launchfast' }, spec: { selector: SELECTOR, ports: [PORT], ...spec } });
const LAUNCHFAST = 'dist/launchfast/service-launchfast.yaml';
const OPENCLAW = 'dist/openclaw/service-openclaw.yaml';

export const CASES: AttackCase[] = [
  {
    id: 'svc-loadbalancer-type',
    class: CLASS,
    description: 'a raw LoadBalancer Service (no node ports allocated) in launchfast',
    edits: service({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }),
    stoppedBy: 'synth',
  },
  {
    id: 'svc-loadbalancer-every-workload',
    class: CLASS,
    description: 'WorkloadService renders every Service as a LoadBalancer',
    edits: [edit('lib/workloads/workload-service.ts', 'spec: { type: this.type,', "spec: { type: 'LoadBalancer',")],
    stoppedBy: 'synth',
  },
  {
    id: 'svc-externalname',
    class: CLASS,
    description: 'an ExternalName Service redirecting an in-cluster name to an outside host',
    edits: rawObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'exposed', namespace: 'launchfast' }, spec: { type: 'ExternalName', externalName: 'attacker.example.com' } }),
    stoppedBy: 'synth',
  },
  {
    id: 'svc-external-ips',
    class: CLASS,
    description: 'a ClusterIP Service claiming externalIPs (CVE-2020-8554 interception)',
    edits: service({ type: 'ClusterIP', externalIPs: ['8.8.8.8'] }),
    stoppedBy: 'synth',
  },
  {
    id: 'svc-external-ips-tailnet',
    class: CLASS,
    description: 'externalIPs set to a tailnet address (still interception of that address)',
    edits: service({ externalIPs: ['100.100.100.100'] }),
    stoppedBy: 'synth',
  },
  {
    id: 'svc-new-nodeport',
    class: CLASS,
    description: 'launchfast exposed on a new NodePort through the typed service declaration',
    edits: [
      edit('homelab/services.ts', 'import { ContainerImage,', 'import { ServiceType } from \'../lib\';\nimport { ContainerImage,'),
      edit('homelab/services.ts', "service: { ports: [{ targetPort: 'http' }] },", "service: { type: ServiceType.NODE_PORT, ports: [{ targetPort: 'http', nodePort: 30080 }] },"),
    ],
    stoppedBy: 'synth',
  },
  {
    id: 'svc-nodeport-moved',
    class: CLASS,
    description: 'OpenClaw moved to another node port than the one its reason covers',
    edits: [edit('homelab/openclaw.ts', 'nodePort: 30789', 'nodePort: 30790')],
    stoppedBy: 'synth',
  },
  {
    id: 'svc-nodeport-random',
    class: CLASS,
    description: 'a raw NodePort Service with a randomly allocated node port',
    edits: service({ type: 'NodePort' }),
    stoppedBy: 'synth',
  },
  {
    id: 'svc-lb-source-ranges-open',
    class: CLASS,
    description: 'a LoadBalancer with loadBalancerSourceRanges 0.0.0.0/0',
    edits: service({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, loadBalancerSourceRanges: ['0.0.0.0/0'] }),
    stoppedBy: 'synth',
  },
  {
    id: 'dist-svc-loadbalancer',
    class: CLASS,
    description: 'dist/ edit: launchfast Service type ClusterIP → LoadBalancer',
    edits: [edit(LAUNCHFAST, 'type: ClusterIP', 'type: LoadBalancer\n  allocateLoadBalancerNodePorts: false')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-svc-nodeport-type',
    class: CLASS,
    description: 'dist/ edit: launchfast Service type ClusterIP → NodePort (random node port)',
    edits: [edit(LAUNCHFAST, 'type: ClusterIP', 'type: NodePort')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-svc-new-nodeport',
    class: CLASS,
    description: 'dist/ edit: OpenClaw node port 30789 → 30790',
    edits: [edit(OPENCLAW, 'nodePort: 30789', 'nodePort: 30790')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-svc-external-ips',
    class: CLASS,
    description: 'dist/ edit: externalIPs on the launchfast Service',
    edits: [edit(LAUNCHFAST, 'spec:\n', 'spec:\n  externalIPs:\n    - 1.1.1.1\n')],
    stoppedBy: 'diff',
  },
  {
    id: 'dist-svc-lb-open-ranges',
    class: CLASS,
    description: 'dist/ edit: a LoadBalancer admitting 0.0.0.0/0',
    edits: [edit(LAUNCHFAST, 'type: ClusterIP', 'type: LoadBalancer\n  loadBalancerSourceRanges:\n    - 0.0.0.0/0')],
    stoppedBy: 'diff',
  },
];
