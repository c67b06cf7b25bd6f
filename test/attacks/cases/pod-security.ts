import { AttackCase, AttackEdit } from '../attack-case';

// Pod fields beyond the first 13 pod rules (issue 16): each case weakens one Pod Security control, on the
// hardened Deployments through an escape hatch (a JSON patch a PR can write in homelab/), or on a workload
// of another kind added as plain YAML. The rule pack must refuse each at synth, also in the privileged
// namespace (openclaw), where admission itself would let it through.

const ANCHOR = '  suppressHomelab(charts); // suppressions bind to the objects built above';

/** Code run once the homelab is built (before GitOps): where a PR can patch or add any object. */
function afterBuild(code: string): AttackEdit {
  return { file: 'homelab/index.ts', find: ANCHOR, replace: `${ANCHOR}\n  ${code}` };
}

/** JSON patches (`add` at each path) on the Deployment of `namespace`. */
function patchDeployment(namespace: string, ops: readonly (readonly [path: string, value: unknown])[]): AttackEdit {
  const patches = ops.map(([path, value]) => `JsonPatch.add(${JSON.stringify(path)}, ${JSON.stringify(value)})`).join(', ');
  return afterBuild(
    `{ const { JsonPatch } = require('cdk8s'); (charts.get(${JSON.stringify(namespace)})!.node.findAll().find((c: any) => c.apiObject?.kind === 'Deployment') as any).apiObject.addJsonPatch(${patches}); }`,
  );
}

/** A pod template that passes every pod rule: each raw-workload case breaks one thing in it. */
function compliantTemplate(): any {
  return {
    metadata: { labels: { 'app.kubernetes.io/name': 'attack' } },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'attack',
        image: 'busybox:1.37.0',
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
      }],
    },
  };
}

/** A workload of `kind` in launchfast (a plain ApiObject: no construct checks it), its template changed by `change`. */
function rawWorkload(kind: 'Job' | 'CronJob' | 'DaemonSet' | 'Pod' | 'StatefulSet', change: (template: any) => void): AttackEdit {
  const template = compliantTemplate();
  change(template);
  const metadata = { name: `attack-${kind.toLowerCase()}`, namespace: 'launchfast' };
  const selector = { matchLabels: template.metadata.labels };
  const body: Record<string, any> = {
    Job: { apiVersion: 'batch/v1', spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } } },
    CronJob: { apiVersion: 'batch/v1', spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } } } } },
    DaemonSet: { apiVersion: 'apps/v1', spec: { selector, template } },
    StatefulSet: { apiVersion: 'apps/v1', spec: { selector, serviceName: 'attack', template } },
    Pod: { apiVersion: 'v1', metadata: { ...metadata, ...template.metadata }, spec: template.spec },
  };
  const object = { kind, metadata, ...body[kind] };
  return afterBuild(`{ const { ApiObject } = require('cdk8s'); new ApiObject(charts.get('launchfast')!, 'Attack${kind}', ${JSON.stringify(object)}); }`);
}

const C0 = '/spec/template/spec/containers/0';
const POD = '/spec/template/spec';

const synth = (id: string, description: string, ...edits: AttackEdit[]): AttackCase => ({ id, class: 'pod-security', description, edits, stoppedBy: 'synth' });

export const CASES: AttackCase[] = [
  synth('pod-apparmor-unconfined', 'launchfast: AppArmor profile unconfined through the pod annotation',
    patchDeployment('launchfast', [['/spec/template/metadata/annotations', { 'container.apparmor.security.beta.kubernetes.io/launchfast': 'unconfined' }]])),
  synth('pod-procmount-unmasked', 'launchfast: procMount Unmasked on the container', patchDeployment('launchfast', [[`${C0}/securityContext/procMount`, 'Unmasked']])),
  synth('pod-sysctls-unsafe', 'launchfast: an unsafe sysctl (kernel.msgmax) on the pod', patchDeployment('launchfast', [[`${POD}/securityContext/sysctls`, [{ name: 'kernel.msgmax', value: '65536' }]]])),
  synth('pod-share-process-namespace', 'launchfast: shareProcessNamespace (not a Pod Security control; HB-POD-023)', patchDeployment('launchfast', [[`${POD}/shareProcessNamespace`, true]])),
  synth('pod-gitrepo-volume', 'launchfast: a gitRepo volume (git runs on the node)', patchDeployment('launchfast', [[`${POD}/volumes/-`, { name: 'src', gitRepo: { repository: 'https://example.org/x.git' } }]])),
  synth('pod-hostport', 'launchfast: hostPort 8080 on the container port', patchDeployment('launchfast', [[`${C0}/ports/0/hostPort`, 8080]])),
  synth('pod-selinux-type', 'launchfast: SELinux type spc_t (super-privileged container)', patchDeployment('launchfast', [[`${C0}/securityContext/seLinuxOptions`, { type: 'spc_t' }]])),
  synth('pod-windows-hostprocess', 'launchfast: windowsOptions.hostProcess on the pod', patchDeployment('launchfast', [[`${POD}/securityContext/windowsOptions`, { hostProcess: true }]])),
  synth('pod-runasuser-zero', 'launchfast: runAsUser 0 on the container (runAsNonRoot stays true)', patchDeployment('launchfast', [[`${C0}/securityContext/runAsUser`, 0]])),
  synth('pod-capability-net-raw', 'launchfast: adds NET_RAW (outside restricted and baseline)', patchDeployment('launchfast', [[`${C0}/securityContext/capabilities/add`, ['NET_RAW']]])),
  synth('pod-seccomp-unconfined-pod', 'launchfast: seccomp Unconfined at pod level', patchDeployment('launchfast', [[`${POD}/securityContext/seccompProfile`, { type: 'Unconfined' }]])),
  synth('pod-label-version-v1.0', 'launchfast namespace pins Pod Security to v1.0 (older than the declared v1.28 cluster)', {
    file: 'homelab/services.ts',
    find: "    namespace: 'launchfast',",
    replace: "    namespace: 'launchfast',\n    podSecurity: { version: 'v1.0' },",
  }),
  synth('pod-privileged-namespace-procmount', 'openclaw (enforce=privileged): procMount Unmasked, which its namespace\'s admission would admit',
    patchDeployment('openclaw', [[`${C0}/securityContext/procMount`, 'Unmasked']])),
  synth('pod-privileged-namespace-sysctl', 'openclaw (enforce=privileged): an unsafe sysctl', patchDeployment('openclaw', [[`${POD}/securityContext/sysctls`, [{ name: 'net.core.somaxconn', value: '4096' }]]])),
  synth('pod-job-nfs-volume', 'a Job (plain YAML) with an nfs volume', rawWorkload('Job', (t) => (t.spec.volumes = [{ name: 'n', nfs: { server: 'nas.lan', path: '/export' } }]))),
  synth('pod-cronjob-apparmor', 'a CronJob (plain YAML) with AppArmor unconfined',
    rawWorkload('CronJob', (t) => (t.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/attack': 'unconfined' }))),
  synth('pod-daemonset-selinux-user', 'a DaemonSet (plain YAML) with an SELinux user', rawWorkload('DaemonSet', (t) => (t.spec.securityContext.seLinuxOptions = { user: 'system_u' }))),
  synth('pod-statefulset-capability', 'a StatefulSet (plain YAML) adding SYS_ADMIN', rawWorkload('StatefulSet', (t) => (t.spec.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']))),
  synth('pod-bare-pod-share-process-namespace', 'a bare Pod (plain YAML) sharing its process namespace', rawWorkload('Pod', (t) => (t.spec.shareProcessNamespace = true))),
];
