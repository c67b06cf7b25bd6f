import { Chart } from 'cdk8s';
import { AgentRbac, Resource } from '../lib';

const OPENCLAW = 'openclaw';
const core = Resource.core;
const apps = Resource.apps;

/**
 * The OpenClaw agent's identity, exactly as the security report's "Kubernetes RBAC" tables list it
 * (one call per table row), and nothing more.
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
  // Read its own API keys.
  agent.grantRead('namespace', [core('secrets')]);
  // Shell access into pods of its own namespace.
  agent.grantExec('namespace');

  // ClusterRole: cluster-wide read + targeted operational writes.
  // Cluster-wide monitoring (kubectl get pods -A, kubectl describe node).
  agent.grantRead('cluster', [
    core('pods'), core('pods').sub('log'), core('services'), core('endpoints'), core('configmaps'), core('events'),
    core('nodes'), core('namespaces'), core('persistentvolumeclaims'), core('persistentvolumes'),
    core('replicationcontrollers'),
  ]);
  // Workload status across namespaces.
  agent.grantRead('cluster', [apps('deployments'), apps('statefulsets'), apps('daemonsets'), apps('replicasets')]);
  // Rollout restart (annotation), rollout undo.
  agent.grantRestart('cluster', [apps('deployments'), apps('statefulsets')]);
  // Emergency scaling (kubectl scale).
  agent.grantScale('cluster', [apps('deployments'), apps('statefulsets')]);
  // Remove stuck pods.
  agent.grantDelete('cluster', [core('pods')]);
  // Annotate resources for troubleshooting.
  agent.grantAnnotate('cluster', [core('configmaps'), core('services'), core('persistentvolumeclaims')]);
  // Check sync status, force-sync annotation.
  agent.allow('cluster', ['get', 'list', 'watch', 'patch'], [Resource.externalSecrets('externalsecrets')]);
  // Check ArgoCD sync status.
  agent.grantRead('cluster', [Resource.argo('applications'), Resource.argo('appprojects')]);
  // Hard refresh annotation.
  agent.grantAnnotate('cluster', [Resource.argo('applications')]);
  // kubectl top pods/nodes. The metrics API serves no watch.
  agent.allow('cluster', ['get', 'list'], [Resource.metrics('pods'), Resource.metrics('nodes')]);
  return agent;
}
