import { Chart } from 'cdk8s';
import { AgentRbac, Resource } from '../lib';

const OPENCLAW = 'openclaw';
const core = Resource.core;
const apps = Resource.apps;

/**
 * The OpenClaw agent's identity, exactly as the security report's "Kubernetes RBAC" tables list it
 * (one call per table row, with the row's purpose and risk), and nothing more.
 */
export function openclawRbac(chart: Chart): AgentRbac {
  const agent = new AgentRbac(chart, 'Rbac', {
    name: OPENCLAW,
    namespace: OPENCLAW,
    // The agent runs kubectl against the API server.
    automountServiceAccountToken: true,
    roleName: 'openclaw-role',
    roleBindingName: 'openclaw-role-binding',
    clusterRoleName: 'openclaw-homelab-admin',
    clusterRoleBindingName: 'openclaw-homelab-admin-binding',
  });

  // Namespace Role (openclaw namespace only).
  agent.grantRead('namespace', [core('secrets')], {
    purpose: 'Read its own API keys (openclaw-secret) with kubectl',
    risk: { level: 'medium', note: 'can read secrets in the openclaw namespace (API keys)' },
  });
  agent.grantExec('namespace', {
    purpose: 'Shell access into pods of its own namespace',
    risk: { level: 'medium', note: 'allows shell access into pods in the openclaw namespace' },
  });

  // ClusterRole: cluster-wide read + targeted operational writes.
  agent.grantRead('cluster', [
    core('pods'), core('pods').sub('log'), core('services'), core('endpoints'), core('configmaps'), core('events'),
    core('nodes'), core('namespaces'), core('persistentvolumeclaims'), core('persistentvolumes'),
    core('replicationcontrollers'),
  ], {
    purpose: 'Cluster-wide monitoring (kubectl get pods -A, kubectl describe node)',
    risk: { level: 'low', note: 'read-only' },
  });
  agent.grantRead('cluster', [apps('deployments'), apps('statefulsets'), apps('daemonsets'), apps('replicasets')], {
    purpose: 'Workload status across namespaces',
    risk: { level: 'low', note: 'read-only' },
  });
  agent.grantRestart('cluster', [apps('deployments'), apps('statefulsets')], {
    purpose: 'Rollout restart (annotation), rollout undo',
    risk: { level: 'medium', note: 'can restart or roll back any deployment' },
  });
  agent.grantScale('cluster', [apps('deployments'), apps('statefulsets')], {
    purpose: 'Emergency scaling (kubectl scale)',
    risk: { level: 'medium', note: 'can scale to 0 (mitigated by the Critical Risk Protocol)' },
  });
  agent.grantDelete('cluster', [core('pods')], {
    purpose: 'Remove stuck pods',
    risk: { level: 'low' },
  });
  agent.grantAnnotate('cluster', [core('configmaps'), core('services'), core('persistentvolumeclaims')], {
    purpose: 'Annotate resources for troubleshooting',
    risk: { level: 'low' },
  });
  agent.allow('cluster', ['get', 'list', 'watch', 'patch'], [Resource.externalSecrets('externalsecrets')], {
    purpose: 'Check sync status, force-sync annotation',
    risk: { level: 'low' },
  });
  agent.grantRead('cluster', [Resource.argo('applications'), Resource.argo('appprojects')], {
    purpose: 'Check ArgoCD sync status',
    risk: { level: 'low', note: 'read-only' },
  });
  agent.grantAnnotate('cluster', [Resource.argo('applications')], {
    purpose: 'Hard refresh annotation',
    risk: { level: 'low' },
  });
  // The metrics API serves no watch.
  agent.allow('cluster', ['get', 'list'], [Resource.metrics('pods'), Resource.metrics('nodes')], {
    purpose: 'kubectl top pods/nodes',
    risk: { level: 'low', note: 'read-only' },
  });
  return agent;
}
