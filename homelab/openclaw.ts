import {
  ContainerImage,
  DeploymentStrategy,
  DirectoryConfigMap,
  HardenedDeployment,
  PodSecurityLevel,
  Port,
  Probe,
  Resources,
  ServiceType,
  ServiceSecretKey,
  ServiceSpec,
  Volume,
  selectorLabelsFor,
} from '../lib';
import { openclawInternetEgress, openclawToGateway } from './gateway';
import { openclawRbac } from './rbac';

const OPENCLAW = 'openclaw';

/** Where OpenClaw's agent workspaces and skills come from. */
export interface OpenClawContent {
  /**
   * `hostPath`: the two host folders, mounted read-only (keeps the namespace out of Pod Security
   * restricted). `configMap`: the two local folders are read at synth into ConfigMaps (the roadmap's
   * way to enforce restricted on openclaw).
   */
  readonly source: 'hostPath' | 'configMap';
  /** Folder behind /workspace-src (on the node for hostPath; in the checkout for configMap). */
  readonly workspaceSrc: string;
  /** Folder behind /skills. */
  readonly skills: string;
}

/**
 * The seed's "Host Filesystem Access" table. The homelab keeps hostPath: the folders live on the Mac mini,
 * not in this repository, and edits to agent personalities and skills show up without a synth and sync.
 */
export const OPENCLAW_HOST_CONTENT: OpenClawContent = {
  source: 'hostPath',
  workspaceSrc: '/Users/holden.nguyen/homelab/agents/workspaces',
  skills: '/Users/holden.nguyen/homelab/skills',
};


const OPENCLAW_RESOURCES: Resources = { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } };

/**
 * OpenClaw, the AI agent gateway: the security report's pod with its roadmap's container hardening applied,
 * its own RBAC (homelab/rbac.ts), tailnet access to its gateway port, HTTPS to the internet (never to the
 * gateway proxies' backends) and each gateway proxy on its own port.
 */
export function openclawService(content: OpenClawContent = OPENCLAW_HOST_CONTENT): ServiceSpec {
  return {
    namespace: OPENCLAW,
    podSecurity: {
      enforce: PodSecurityLevel.PRIVILEGED,
      reason: 'uses hostPath volumes (workspace-src, openclaw-skills) that the restricted and baseline profiles disallow',
    },
    network: {
      tailnetIngress: [Port.tcp(18789)],
      apiServerEgress: true,
      // "Personal Task Gateway": OpenClaw reaches each proxy on its port, never the proxies' backends.
      egressTo: openclawToGateway(),
      allow: [openclawInternetEgress([Port.tcp(443)])],
    },
    secrets: [{ name: 'openclaw-secret', keys: OPENCLAW_SECRET_KEYS }],
    // Agent workspaces live here: like every claim, it is prune-protected (isPruneProtected) at sync.
    claims: [{ name: 'openclaw-data', size: '10Gi', labels: selectorLabelsFor(OPENCLAW) }],
    build: ({ chart, secret }) => {
      openclawRbac(chart);
      const [workspaceSrc, skills] = content.source === 'hostPath'
        ? [
          Volume.hostPath('workspace-src', content.workspaceSrc, { reason: 'agent personality Markdown files, read-only; no credentials (seed: Host Filesystem Access)', severity: 'low' }),
          Volume.hostPath('openclaw-skills', content.skills, { reason: 'skill definition Markdown files, read-only; no credentials (seed: Host Filesystem Access)', severity: 'low' }),
        ]
        : [
          new DirectoryConfigMap(chart, 'WorkspaceSrc', { name: 'openclaw-workspace-src', namespace: OPENCLAW, directory: content.workspaceSrc }).volume('workspace-src'),
          new DirectoryConfigMap(chart, 'Skills', { name: 'openclaw-skills', namespace: OPENCLAW, directory: content.skills }).volume('openclaw-skills'),
        ];
      new HardenedDeployment(chart, 'OpenClaw', {
        name: OPENCLAW,
        namespace: OPENCLAW,
        image: ContainerImage.localBuild('openclaw:latest', {
          reason: 'built on the node from the pinned submodule + Dockerfile.openclaw and never pushed; imagePullPolicy Never runs that build (seed: Image Provenance)',
          severity: 'low',
        }),
        runAsUser: 1000,
        runAsGroup: 1000,
        fsGroup: 1000,
        resources: OPENCLAW_RESOURCES,
        ports: { gateway: Port.tcp(18789) },
        // Read-only root: the writable paths are the workspaces (/data), scratch (/tmp) and the tools' caches
        // and configs under $HOME (kubectl, helm, gh).
        volumeMounts: [
          { volume: Volume.persistentVolumeClaim('data', 'openclaw-data'), mountPath: '/data' },
          { volume: Volume.emptyDir('tmp', { sizeLimit: '1Gi' }), mountPath: '/tmp' },
          { volume: Volume.emptyDir('home', { sizeLimit: '512Mi' }), mountPath: '/home/node' },
          { volume: workspaceSrc, mountPath: '/workspace-src' },
          { volume: skills, mountPath: '/skills' },
        ],
        envFrom: [secret('openclaw-secret')],
        readinessProbe: Probe.tcpSocket('gateway', { periodSeconds: 10 }),
        livenessProbe: Probe.tcpSocket('gateway', { initialDelaySeconds: 30, periodSeconds: 20 }),
        // The ServiceAccount and its RBAC come from AgentRbac (homelab/rbac.ts): the agent runs kubectl.
        serviceAccountName: OPENCLAW,
        automountServiceAccountToken: true,
        // One agent gateway writing one ReadWriteOnce volume: never two at once.
        strategy: DeploymentStrategy.RECREATE,
        service: { type: ServiceType.NODE_PORT, ports: [{ targetPort: 'gateway', nodePort: 30789 }] },
      });
    },
  };
}

/** The keys of openclaw-secret: the security report's "Secrets Accessible" table, plus the alerts webhook. */
const OPENCLAW_SECRET_KEYS: readonly ServiceSecretKey[] = [
  { name: 'OPENCLAW_GATEWAY_TOKEN', purpose: 'Gateway authentication (device pairing + API access)' },
  { name: 'OPENROUTER_API_KEY', purpose: 'LLM inference via OpenRouter' },
  { name: 'GEMINI_API_KEY', purpose: 'LLM inference via Google Gemini (fallback)' },
  { name: 'GITHUB_TOKEN', purpose: 'GitHub API access for the agent git workflow (fine-grained PAT, one repository)' },
  { name: 'DISCORD_BOT_TOKEN', purpose: 'Discord bot for chat-based agent interaction' },
  { name: 'DISCORD_WEBHOOK_DEUTSCH', purpose: 'Discord webhook for German learning reminders' },
  { name: 'DISCORD_WEBHOOK_ENGLISH', purpose: 'Discord webhook for IELTS learning reminders' },
  { name: 'DISCORD_WEBHOOK_ALERTS', purpose: 'Discord webhook for homelab alerts' },
  { name: 'CURSOR_API_KEY', purpose: 'Cursor CLI authentication for headless code generation' },
];
