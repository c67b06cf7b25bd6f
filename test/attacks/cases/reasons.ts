import { AttackCase } from '../attack-case';
import { edit, rawObjectSource } from '../edits';

const CLASS = 'reasons';
const SERVICES = 'homelab/services.ts';
const MONITORING_REASON = "baseline('node-exporter requires host namespaces and hostPort')";
/** The monitoring namespace's Pod Security reason replaced by the TypeScript expression `expression`. */
const podSecurityReason = (expression: string) => [edit(SERVICES, MONITORING_REASON, `baseline(${expression})`)];
const SUPPRESSION_REASON = "'Exec is self-referential, the OpenClaw pod is the only pod in the namespace; exec anywhere else ' +";

export const CASES: AttackCase[] = [
  {
    id: 'reason-zero-width-only',
    class: CLASS,
    description: 'a Pod Security reason of 30 zero-width spaces (long enough, says nothing)',
    edits: podSecurityReason("'\\u200b'.repeat(30)"),
    stoppedBy: 'synth',
  },
  {
    id: 'reason-zero-width-todo',
    class: CLASS,
    description: 'a zero-width-prefixed "TODO" that dodged the placeholder check',
    edits: podSecurityReason("'\\u200bTODO: explain why node-exporter needs the host'"),
    stoppedBy: 'synth',
  },
  {
    id: 'reason-fullwidth-todo',
    class: CLASS,
    description: 'a full-width "ＴＯＤＯ" (NFKC makes it TODO)',
    edits: podSecurityReason("'\\uff34\\uff2f\\uff24\\uff2f explain why node-exporter needs the host'"),
    stoppedBy: 'synth',
  },
  {
    id: 'reason-punctuated-tbd',
    class: CLASS,
    description: 'a placeholder behind punctuation ("-- tbd --, to be written up")',
    edits: podSecurityReason("'-- tbd --, to be written up by the operator'"),
    stoppedBy: 'synth',
  },
  {
    id: 'reason-300-kb',
    class: CLASS,
    description: 'a 300 kB reason (the API server refuses annotations over 256 KiB at sync time)',
    edits: podSecurityReason("'node-exporter needs the host network and pid namespaces. '.repeat(5500)"),
    stoppedBy: 'synth',
  },
  {
    id: 'reason-raw-annotation-300-kb',
    class: CLASS,
    description: 'a raw object carrying a 300 kB annotation (refused by the API server at sync time)',
    edits: rawObjectSource("{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'notes', namespace: 'launchfast', annotations: { 'example.com/notes': 'x'.repeat(300000) } } }"),
    stoppedBy: 'synth',
  },
  {
    id: 'reason-control-character',
    class: CLASS,
    description: 'a reason with a control character (BEL) in it',
    edits: podSecurityReason("'node-exporter requires host\\u0007 namespaces and hostPort'"),
    stoppedBy: 'synth',
  },
  {
    id: 'reason-bidi-override',
    class: CLASS,
    description: 'a reason with a right-to-left override that displays differently from what it says',
    edits: podSecurityReason("'node-exporter requires \\u202ehost namespaces and hostPort'"),
    stoppedBy: 'synth',
  },
  {
    id: 'reason-no-words',
    class: CLASS,
    description: 'a reason of 30 dots',
    edits: podSecurityReason("'.'.repeat(30)"),
    stoppedBy: 'synth',
  },
  {
    id: 'reason-suppression-placeholder',
    class: CLASS,
    description: 'a suppression whose reason is "TBD" with filler',
    edits: [edit('homelab/suppressions.ts', SUPPRESSION_REASON, "'TBD, will write the risk assessment ' +")],
    stoppedBy: 'synth',
  },
  {
    id: 'reason-split-injection',
    class: CLASS,
    description: 'a hostPath reason carrying "; docker-sock: ..." plus an escape-hatch hostPath volume docker-sock it would exempt',
    edits: [
      edit('homelab/openclaw.ts', "'agent personality Markdown files, read-only; no credentials (seed: Host Filesystem Access)'",
        "'agent personality Markdown files, read-only; no credentials (seed: Host Filesystem Access); docker-sock: the container runtime socket, needed for image builds by the agent'"),
      edit('homelab/openclaw.ts', "      new HardenedDeployment(chart, 'OpenClaw', {", "      const attacked = new HardenedDeployment(chart, 'OpenClaw', {"),
      edit('homelab/openclaw.ts', "nodePort: 30789 }] },\n      });\n",
        "nodePort: 30789 }] },\n      });\n      attacked.apiObject.addJsonPatch(require('cdk8s').JsonPatch.add('/spec/template/spec/volumes/-', { name: 'docker-sock', hostPath: { path: '/var/run/docker.sock', type: 'Socket' } }));\n"),
    ],
    stoppedBy: 'synth',
  },
  {
    id: 'reason-duplicate-namespace',
    class: CLASS,
    description: 'a second service entry for launchfast (must be refused in the library\'s format, not a stack trace)',
    edits: [edit(SERVICES, '  openclawService(),\n', "  { namespace: 'launchfast', network: { tailnetIngress: [Port.tcp(8081)] } },\n  openclawService(),\n")],
    stoppedBy: 'synth',
  },
  {
    id: 'reason-duplicate-deployment',
    class: CLASS,
    description: 'two Deployments named launchfast in one service (must be refused in the library\'s format)',
    edits: [edit(SERVICES, '    deployments: [{\n', "    deployments: [{ name: 'launchfast', image: ContainerImage.fromRegistry('nginxinc/nginx-unprivileged:1.27.3-alpine'), runAsUser: 101, runAsGroup: 101, resources: SMALL }, {\n")],
    stoppedBy: 'synth',
  },
  {
    id: 'dist-suppression-entry-smuggled',
    class: CLASS,
    description: 'dist/ edit: a second finding smuggled into a suppression annotation',
    edits: [edit('dist/openclaw/role-openclaw-role.yaml', '\'{"[resource:pods/exec]":', '\'{"[resource:pods/attach]":"attach is as self-referential as exec, the same pod","[resource:pods/exec]":')],
    stoppedBy: 'diff',
  },
];
