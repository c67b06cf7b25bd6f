import { ContainerImage, PodSecurityLevel, PodSecurityProps, Port, Probe, ServiceSpec, Volume } from '../lib';
import { gatewayService } from './gateway';
import { openclawService } from './openclaw';
import { SMALL } from './sizes';

/** Baseline enforce with restricted audit/warn: violations are logged while upstream charts catch up. */
function baseline(reason: string): PodSecurityProps {
  return { enforce: PodSecurityLevel.BASELINE, reason };
}

/**
 * The homelab, one service per namespace. Adding a service is one entry here (README "Add a service"):
 * `npm run review` then regenerates dist/ and every reviewed file, and the tests check it against the
 * baseline's invariants.
 */
export const SERVICES: readonly ServiceSpec[] = [
  {
    namespace: 'argocd',
    network: { tailnetIngress: [Port.tcp(8080)], apiServerEgress: true, internetEgress: [Port.tcp(443), Port.tcp(22)] },
  },
  {
    namespace: 'external-secrets',
    network: { apiServerEgress: true, egressTo: [{ namespace: 'infisical', ports: [Port.tcp(8080)] }] },
  },
  {
    namespace: 'monitoring',
    podSecurity: baseline('node-exporter requires host namespaces and hostPort'),
    network: { tailnetIngress: [Port.tcp(3000)], apiServerEgress: true, internetEgress: [Port.tcp(443)] },
    secrets: [{
      name: 'grafana-secret',
      keys: [
        { name: 'GRAFANA_ADMIN_PASSWORD', purpose: 'Grafana local admin login' },
        { name: 'GRAFANA_OAUTH_CLIENT_SECRET', purpose: 'Grafana single sign-on through Authentik (OAuth client secret)' },
      ],
    }],
  },
  {
    // Restricted (the default): the rendered authentik 2025.12.4 pods run as 1000:1000 with RuntimeDefault
    // seccomp and pass restricted admission on the real API server (test/cluster/workloads), so the seed's
    // "run as root" reason for baseline no longer holds.
    namespace: 'authentik',
    network: { tailnetIngress: [Port.tcp(9000), Port.tcp(9443)] },
    secrets: [{
      name: 'authentik-secret',
      keys: [
        { name: 'AUTHENTIK_SECRET_KEY', purpose: 'Authentik signing key for sessions and tokens' },
        { name: 'AUTHENTIK_BOOTSTRAP_PASSWORD', purpose: 'Initial akadmin password on first start' },
        { name: 'AUTHENTIK_BOOTSTRAP_TOKEN', purpose: 'Initial akadmin API token on first start' },
        { name: 'AUTHENTIK_POSTGRES_PASSWORD', purpose: 'Authentik database password (PostgreSQL)' },
      ],
    }],
  },
  {
    namespace: 'infisical',
    podSecurity: baseline('standalone + ingress-nginx run as root, missing seccompProfile (upstream chart default)'),
    network: { tailnetIngress: [Port.tcp(8080)], ingressFrom: [{ namespace: 'external-secrets', ports: [Port.tcp(8080)] }] },
  },
  {
    namespace: 'launchfast',
    network: { tailnetIngress: [Port.tcp(8080)] },
    deployments: [{
      // Static site on nginx-unprivileged (UID 101), read-only root; nginx keeps its pid file in /tmp and its
      // temp files in /var/cache/nginx.
      name: 'launchfast',
      image: ContainerImage.fromRegistry('nginxinc/nginx-unprivileged:1.27.3-alpine'),
      runAsUser: 101,
      runAsGroup: 101,
      resources: SMALL,
      ports: { http: Port.tcp(8080) },
      volumeMounts: [
        { volume: Volume.emptyDir('tmp', { sizeLimit: '64Mi' }), mountPath: '/tmp' },
        { volume: Volume.emptyDir('nginx-cache', { sizeLimit: '128Mi' }), mountPath: '/var/cache/nginx' },
      ],
      readinessProbe: Probe.httpGet('http'),
      livenessProbe: Probe.httpGet('http', { initialDelaySeconds: 10, periodSeconds: 20 }),
      service: { ports: [{ targetPort: 'http' }] },
    }],
  },
  openclawService(),
  gatewayService(),
];
