import { selects } from '../network/policy';
import { containerSecurityRows, hostVolumeRows } from './containers';
import { servicePortRows } from './exposure';
import { FlowAnalysis, mermaidText } from './network-flows';
import { ObjectIndex, Workload, workloadsOf } from './objects';

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/** A Mermaid-safe node id. */
function nodeId(prefix: string, text: string): string {
  return `${prefix}_${text.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function fence(lines: readonly string[]): string {
  return ['```mermaid', ...lines, '```'].join('\n');
}

/** Whether pods of `w` get an API token: the pod's setting, else its ServiceAccount's, else Kubernetes' default (true). */
export function mountsApiToken(index: ObjectIndex, w: Workload): boolean {
  const pod = w.podSpec.automountServiceAccountToken;
  if (typeof pod === 'boolean') return pod;
  const saName = w.podSpec.serviceAccountName ?? 'default';
  const sa = index.ofKind('ServiceAccount').find((o) => o.metadata.namespace === w.namespace && o.metadata.name === saName) as any;
  return sa?.automountServiceAccountToken ?? true;
}

/** The workloads that touch the node: a hostPath volume or a host namespace. */
export function hostTouchingWorkloads(index: ObjectIndex): Workload[] {
  return workloadsOf(index).filter((w) =>
    (w.podSpec.volumes ?? []).some((v: any) => v.hostPath) || HOST_NAMESPACES.some((h) => w.podSpec[h] === true));
}

/**
 * One host-isolation diagram per workload that touches the node (the seed's "Isolation layers"): what
 * its pods reach on the node (each hostPath with its mode, each shared host namespace) and what stays
 * blocked, the pod's effective security context, its API token, and where its NetworkPolicies let it
 * connect. Everything is read from the objects, so a new hostPath or host namespace shows up here.
 */
export function renderHostIsolation(index: ObjectIndex, flows: FlowAnalysis): string {
  const targets = hostTouchingWorkloads(index);
  if (!targets.length) return '_No workload mounts a hostPath volume or shares a host namespace._';
  return targets.map((w) => hostIsolationDiagram(index, flows, w)).join('\n\n');
}

function hostIsolationDiagram(index: ObjectIndex, flows: FlowAnalysis, w: Workload): string {
  const security = containerSecurityRows(index).filter((r) => r.namespace === w.namespace && r.workload === w.name && !r.container.startsWith('init:'));
  const context = security.map((r) =>
    `${r.container}: uid ${r.user}, non-root ${r.runAsNonRoot}<br/>read-only root ${r.readOnlyRootFilesystem}, escalation ${r.allowPrivilegeEscalation}, ${r.capabilities}`);
  const volumes = hostVolumeRows(index).filter((r) => r.namespace === w.namespace && r.workload === w.name);
  const token = mountsApiToken(index, w);
  const lines = [
    'flowchart TD',
    '  subgraph host["node (host)"]',
    '    hostfs["rest of the host filesystem"]',
    ...volumes.map((v) => `    ${nodeId('hp', v.volume)}["${mermaidText(v.hostPath)}"]`),
    '    procs["host processes and IPC"]',
    '    hostnet["host network stack"]',
    '  end',
    `  subgraph ns["namespace ${mermaidText(w.namespace)}"]`,
    `    pod["${mermaidText([w.name, ...context].join('<br/>'))}"]`,
    '  end',
    ...volumes.map((v) => `  pod -- "${mermaidText(`hostPath ${v.volume}, ${v.mode}`)}" --> ${nodeId('hp', v.volume)}`),
    '  pod -. "BLOCKED: no other hostPath" .-> hostfs',
  ];
  const shared = (h: string) => w.podSpec[h] === true;
  const processes = ['hostPID', 'hostIPC'].filter(shared);
  lines.push(processes.length ? `  pod -- "${processes.join(', ')}" --> procs` : '  pod -. "BLOCKED: no hostPID, no hostIPC" .-> procs');
  lines.push(shared('hostNetwork') ? '  pod -- "hostNetwork" --> hostnet' : '  pod -. "BLOCKED: no hostNetwork" .-> hostnet');
  lines.push(`  api[["Kubernetes API"]]`);
  lines.push(token
    ? `  pod -- "${mermaidText(`token of ServiceAccount ${w.podSpec.serviceAccountName ?? 'default'}: its RBAC`)}" --> api`
    : '  pod -. "no API token mounted" .-> api');
  for (const d of flows.destinationsOf(w.namespace, w.podLabels)) {
    const id = nodeId('to', d.node.id);
    lines.push(d.node.kind === 'address' ? `  ${id}(["${mermaidText(d.node.label)}"])` : `  ${id}["${mermaidText(d.node.label)}"]`);
    lines.push(`  pod -- "${mermaidText(d.ports.join(', '))}" --> ${id}`);
  }
  return fence(lines);
}

/** Namespaces whose workloads are brokers kept apart: no same-namespace traffic, and at least one Service. */
export function brokerNamespaces(index: ObjectIndex, flows: FlowAnalysis): string[] {
  const services = new Set(index.ofKind('Service').map((s) => s.metadata.namespace));
  return flows.graph().nodes
    .filter((n) => n.kind === 'namespace' && n.intraNamespace === 'none' && services.has(n.label))
    .map((n) => n.label);
}

/**
 * The architecture of every broker namespace (the seed's "Personal Task Gateway"): namespaces whose
 * workloads cannot reach each other and serve others through Services. For each workload: who may call
 * which Service port, where it may connect outside its namespace, which Secrets it reads, whether it
 * holds an API token; a backend another broker reaches but this one cannot is drawn BLOCKED. DNS and
 * other namespaces without policies in `dist/` are left out.
 */
export function renderBrokerArchitecture(index: ObjectIndex, flows: FlowAnalysis): string {
  const namespaces = brokerNamespaces(index, flows);
  if (!namespaces.length) return '_No namespace keeps its workloads apart while serving others._';
  return namespaces.map((ns) => brokerDiagram(index, flows, ns)).join('\n\n');
}

function brokerDiagram(index: ObjectIndex, flows: FlowAnalysis, namespace: string): string {
  const workloads = workloadsOf(index).filter((w) => w.namespace === namespace);
  const ports = servicePortRows(index, flows).filter((r) => r.namespace === namespace);
  const services = index.ofKind('Service').filter((s) => s.metadata.namespace === namespace);
  const lines = ['flowchart LR', `  subgraph ns["namespace ${mermaidText(namespace)} (workloads cannot reach each other)"]`];
  const outside = new Map<string, string>();
  const edges: string[] = [];
  const reach = new Map<string, Set<string>>();
  for (const w of workloads) {
    const id = nodeId('w', w.name);
    const secrets = [...new Set([
      ...(w.podSpec.containers ?? []).flatMap((c: any) => (c.envFrom ?? []).map((e: any) => e.secretRef?.name)),
      ...(w.podSpec.volumes ?? []).map((v: any) => v.secret?.secretName),
    ].filter(Boolean))];
    const facts = [
      w.name,
      secrets.length ? `Secret ${secrets.join(', ')}` : 'no Secret',
      mountsApiToken(index, w) ? 'API token mounted' : 'no API token',
    ];
    lines.push(`    ${id}["${mermaidText(facts.join('<br/>'))}"]`);
    const mine = services.filter((s) => Object.keys((s.spec as any)?.selector ?? {}).length && selects({ matchLabels: (s.spec as any).selector }, w.podLabels));
    for (const svc of mine) {
      for (const p of ports.filter((r) => r.service === svc.metadata.name)) {
        for (const from of p.reachableFrom.filter((f) => f !== namespace && !f.startsWith(`${namespace} (`))) {
          const fid = nodeId('from', from);
          outside.set(fid, `  ${fid}["${mermaidText(from)}"]`);
          edges.push(`  ${fid} -- "${mermaidText(`Service ${svc.metadata.name} :${p.port}`)}" --> ${id}`);
        }
      }
    }
    const destinations = flows.destinationsOf(namespace, w.podLabels).filter((d) => d.node.kind !== 'unmanaged-namespace');
    reach.set(id, new Set(destinations.map((d) => d.node.id)));
    for (const d of destinations) {
      const did = nodeId('to', d.node.id);
      outside.set(did, d.node.kind === 'address' ? `  ${did}(["${mermaidText(d.node.label)}"])` : `  ${did}["${mermaidText(d.node.label)}"]`);
      edges.push(`  ${id} -- "${mermaidText(d.ports.join(', '))}" --> ${did}`);
    }
  }
  // A backend one broker reaches and another cannot: the separation the namespace exists for.
  const backends = new Set([...reach.values()].flatMap((s) => [...s]));
  for (const [id, mine] of reach) {
    for (const b of [...backends].filter((x) => !mine.has(x)).sort()) edges.push(`  ${id} -. "BLOCKED" .-> ${nodeId('to', b)}`);
  }
  lines.push('  end', ...[...outside.values()].sort(), ...edges);
  return fence(lines);
}
