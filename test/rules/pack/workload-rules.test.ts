import { KubeObject } from '../../../lib';
import {
  automountExplicit,
  dropAllCapabilities,
  hostPathVolumes,
  noHostNamespaces,
  noHostPorts,
  noPrivilegeEscalation,
  notPrivileged,
  pinnedImages,
  readOnlyRootFilesystem,
  resourcesSet,
  runAsNonRoot,
  seccompProfile,
  tokenAutomounted,
  WORKLOAD_RULES,
} from '../../../lib/rules/pack/workload-rules';
import { container, deployment, findingsOf, podSpec } from '../fixtures';

const withContainer = (overrides: Record<string, unknown>) => deployment(podSpec({ containers: [container(overrides)] }));
const sc = (overrides: Record<string, unknown>) => ({ ...(container().securityContext as object), ...overrides });

test('the compliant fixture passes every workload rule, in every workload kind', () => {
  const spec = podSpec();
  const kinds: KubeObject[] = [
    deployment(spec),
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'apps' }, spec },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'apps' }, spec: { jobTemplate: { spec: { template: { spec } } } } },
    ...['StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].map((kind) => ({ ...deployment(spec), kind, metadata: { name: kind.toLowerCase(), namespace: 'apps' } })),
  ];
  for (const rule of WORKLOAD_RULES) for (const o of kinds) expect([rule.id, o.kind, findingsOf(rule, [o])]).toEqual([rule.id, o.kind, []]);
});

test('the pod spec of a CronJob is checked too', () => {
  const spec = podSpec({ hostNetwork: true });
  const cron: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'apps' }, spec: { jobTemplate: { spec: { template: { spec } } } } };
  expect(findingsOf(noHostNamespaces, [cron])).toEqual(['[hostNetwork]']);
});

describe('HB-POD-001 runAsNonRoot', () => {
  test('compliant: set on the container instead of the pod', () => {
    const d = deployment(podSpec({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [container({ securityContext: sc({ runAsNonRoot: true }) })] }));
    expect(findingsOf(runAsNonRoot, [d])).toEqual([]);
  });

  test('violation: unset, false on a container, init containers too (runAsUser 0 is HB-POD-014\'s)', () => {
    expect(findingsOf(runAsNonRoot, [deployment(podSpec({ securityContext: {} }))])).toEqual(['[container:app]']);
    expect(findingsOf(runAsNonRoot, [withContainer({ securityContext: sc({ runAsNonRoot: false }) })])).toEqual(['[container:app]']);
    const init = deployment(podSpec({ initContainers: [container({ name: 'init', securityContext: sc({ runAsNonRoot: false }) })] }));
    expect(findingsOf(runAsNonRoot, [init])).toEqual(['[container:init]']);
  });

  test('violation: false on the pod even when every container sets true (as admission reads it)', () => {
    const d = deployment(podSpec({ securityContext: { runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } }, containers: [container({ securityContext: sc({ runAsNonRoot: true }) })] }));
    expect(findingsOf(runAsNonRoot, [d])).toEqual(['[pod]']);
  });
});

describe('HB-POD-002 allowPrivilegeEscalation false', () => {
  test('violation: unset or true', () => {
    expect(findingsOf(noPrivilegeEscalation, [withContainer({ securityContext: sc({ allowPrivilegeEscalation: undefined }) })])).toEqual(['[container:app]']);
    expect(findingsOf(noPrivilegeEscalation, [withContainer({ securityContext: sc({ allowPrivilegeEscalation: true }) })])).toEqual(['[container:app]']);
  });
});

describe('HB-POD-003 capabilities', () => {
  test('compliant: drop ALL, add NET_BIND_SERVICE', () => {
    expect(findingsOf(dropAllCapabilities, [withContainer({ securityContext: sc({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }) })])).toEqual([]);
  });

  test('violation: no drop, and an added capability', () => {
    const d = withContainer({ securityContext: sc({ capabilities: { drop: ['NET_RAW'], add: ['SYS_ADMIN'] } }) });
    expect(findingsOf(dropAllCapabilities, [d])).toEqual(['[container:app]', '[container:app][add:SYS_ADMIN]']);
  });
});

describe('HB-POD-004 seccomp', () => {
  test('compliant: Localhost on the container', () => {
    const d = deployment(podSpec({ securityContext: { runAsNonRoot: true }, containers: [container({ securityContext: sc({ seccompProfile: { type: 'Localhost' } }) })] }));
    expect(findingsOf(seccompProfile, [d])).toEqual([]);
  });

  test('violation: unset, or Unconfined on a container overriding the pod', () => {
    expect(findingsOf(seccompProfile, [deployment(podSpec({ securityContext: { runAsNonRoot: true } }))])).toEqual(['[container:app]']);
    expect(findingsOf(seccompProfile, [withContainer({ securityContext: sc({ seccompProfile: { type: 'Unconfined' } }) })])).toEqual(['[container:app]']);
  });

  test('violation: Unconfined on the pod even when every container sets RuntimeDefault (as admission reads it)', () => {
    const d = deployment(podSpec({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } }, containers: [container({ securityContext: sc({ seccompProfile: { type: 'RuntimeDefault' } }) })] }));
    expect(findingsOf(seccompProfile, [d])).toEqual(['[pod]']);
  });

  test('a Windows pod (os.name: windows) is not checked, as admission skips it', () => {
    expect(findingsOf(seccompProfile, [deployment(podSpec({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true } }))])).toEqual([]);
  });
});

describe('HB-POD-005 privileged', () => {
  test('compliant: privileged false', () => {
    expect(findingsOf(notPrivileged, [withContainer({ securityContext: sc({ privileged: false }) })])).toEqual([]);
  });

  test('violation', () => {
    expect(findingsOf(notPrivileged, [withContainer({ securityContext: sc({ privileged: true }) })])).toEqual(['[container:app]']);
  });
});

describe('HB-POD-006 host namespaces', () => {
  test('violation: each one', () => {
    const d = deployment(podSpec({ hostNetwork: true, hostPID: true, hostIPC: true }));
    expect(findingsOf(noHostNamespaces, [d])).toEqual(['[hostIPC]', '[hostNetwork]', '[hostPID]']);
  });

  test('compliant: explicitly false', () => {
    expect(findingsOf(noHostNamespaces, [deployment(podSpec({ hostNetwork: false }))])).toEqual([]);
  });
});

describe('HB-POD-007 hostPort', () => {
  test('compliant: containerPort only', () => {
    expect(findingsOf(noHostPorts, [withContainer({ ports: [{ containerPort: 8080 }] })])).toEqual([]);
  });

  test('violation', () => {
    expect(findingsOf(noHostPorts, [withContainer({ ports: [{ containerPort: 8080, hostPort: 80 }] })])).toEqual(['[container:app][hostPort:80]']);
  });
});

describe('HB-POD-008 readOnlyRootFilesystem (WARN)', () => {
  test('violation: unset', () => {
    expect(findingsOf(readOnlyRootFilesystem, [withContainer({ securityContext: sc({ readOnlyRootFilesystem: undefined }) })])).toEqual(['[container:app]']);
  });

  test('exempted per container by the construct annotation writable-root-filesystem (entry {"<container>": "<reason>"})', () => {
    const writable = (name: string) => container({ name, securityContext: sc({ readOnlyRootFilesystem: false }) });
    const d = deployment(podSpec({ containers: [writable('app'), writable('sidecar')] }), {
      'baseline.homelab.dev/exemption.writable-root-filesystem': '{"app":"the upstream image writes its cache under /var/lib"}',
    });
    expect(findingsOf(readOnlyRootFilesystem, [d])).toEqual(['[container:sidecar]']);
  });

  test('a plain reason (no entries), or an entry with a placeholder reason, exempts nothing', () => {
    const d = (value: string) => deployment(podSpec({ containers: [container({ securityContext: sc({ readOnlyRootFilesystem: false }) })] }), {
      'baseline.homelab.dev/exemption.writable-root-filesystem': value,
    });
    expect(findingsOf(readOnlyRootFilesystem, [d('the upstream image writes its cache under /var/lib')])).toEqual(['[container:app]']);
    expect(findingsOf(readOnlyRootFilesystem, [d('{"app":"TODO write the reason down later"}')])).toEqual(['[container:app]']);
  });
});

describe('HB-POD-009 hostPath (ERROR, exempted per volume with a reason)', () => {
  const volumes = [
    { name: 'src', hostPath: { path: '/srv/src' } },
    { name: 'skills', hostPath: { path: '/srv/skills' } },
    { name: 'tmp', emptyDir: {} },
  ];

  test('compliant: no hostPath', () => {
    expect(findingsOf(hostPathVolumes, [deployment(podSpec({ volumes: [{ name: 'tmp', emptyDir: {} }] }))])).toEqual([]);
  });

  test('violation: one finding per hostPath volume', () => {
    expect(findingsOf(hostPathVolumes, [deployment(podSpec({ volumes }))])).toEqual(['[volume:skills]', '[volume:src]']);
  });

  test('an exemption covers only the volumes it names', () => {
    const d = deployment(podSpec({ volumes }), {
      'baseline.homelab.dev/exemption.hostpath': '{"src":"read-only Markdown sources; no credentials live there"}',
    });
    expect(findingsOf(hostPathVolumes, [d])).toEqual(['[volume:skills]']);
  });

  const HOSTPATH = '{"skills":"skill definitions, Markdown only","src":"read-only Markdown sources"}';
  const mounted = (mounts: Record<string, unknown>[], annotations: Record<string, string> = {}) =>
    deployment(podSpec({ volumes, containers: [container({ volumeMounts: mounts })] }), { 'baseline.homelab.dev/exemption.hostpath': HOSTPATH, ...annotations });

  test('compliant: every mount of a hostPath volume is readOnly', () => {
    expect(findingsOf(hostPathVolumes, [mounted([{ name: 'src', mountPath: '/src', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }])])).toEqual([]);
  });

  test('violation: a hostPath mount without readOnly: true, in any container', () => {
    const d = mounted([{ name: 'src', mountPath: '/src' }, { name: 'skills', mountPath: '/skills', readOnly: false }, { name: 'src', mountPath: '/again', readOnly: true }]);
    expect(findingsOf(hostPathVolumes, [d])).toEqual(['[volume:skills][mount:app:/skills]', '[volume:src][mount:app:/src]']);
    const init = deployment(podSpec({ volumes, initContainers: [container({ name: 'init', volumeMounts: [{ name: 'src', mountPath: '/src' }] })] }), {
      'baseline.homelab.dev/exemption.hostpath': HOSTPATH,
    });
    expect(findingsOf(hostPathVolumes, [init])).toEqual(['[volume:src][mount:init:/src]']);
  });

  test('a writable mount is exempted only by a hostpath-writable entry for its volume', () => {
    const d = mounted([{ name: 'src', mountPath: '/src' }, { name: 'skills', mountPath: '/skills' }], {
      'baseline.homelab.dev/exemption.hostpath-writable': '{"src":"the agent commits its own edits back to the sources"}',
    });
    expect(findingsOf(hostPathVolumes, [d])).toEqual(['[volume:skills][mount:app:/skills]']);
  });
});

describe('HB-POD-010 pinned images', () => {
  test.each(['nginx:1.27.3', 'localhost:5000/app:2.0', 'ghcr.io/a/b@sha256:' + 'a'.repeat(64), 'app:latest@sha256:' + 'b'.repeat(64)])(
    'compliant: %s',
    (image) => expect(findingsOf(pinnedImages, [withContainer({ image })])).toEqual([]),
  );

  test.each(['nginx', 'nginx:latest', 'localhost:5000/app', 'openclaw:latest'])('violation: %s', (image) => {
    expect(findingsOf(pinnedImages, [withContainer({ image })])).toEqual(['[container:app]']);
  });

  test('exempted per container by the construct annotation unpinned-image (entry {"<container>": "<reason>"})', () => {
    const d = deployment(podSpec({ containers: [container({ image: 'openclaw:latest', imagePullPolicy: 'Never' })] }), {
      'baseline.homelab.dev/exemption.unpinned-image': '{"app":"built on the node from a pinned submodule, never pulled"}',
    });
    expect(findingsOf(pinnedImages, [d])).toEqual([]);
  });

  test('the main container\'s exemption does not cover a sidecar', () => {
    const d = deployment(podSpec({ containers: [container({ image: 'openclaw:latest', imagePullPolicy: 'Never' }), container({ name: 'sidecar', image: 'nginx:latest' })] }), {
      'baseline.homelab.dev/exemption.unpinned-image': '{"app":"built on the node from a pinned submodule, never pulled"}',
    });
    expect(findingsOf(pinnedImages, [d])).toEqual(['[container:sidecar]']);
  });
});

describe('HB-POD-011 resources', () => {
  test('violation: each missing request and limit', () => {
    expect(findingsOf(resourcesSet, [withContainer({ resources: { requests: { cpu: '100m' } } })])).toEqual([
      '[container:app][limits.cpu]',
      '[container:app][limits.memory]',
      '[container:app][requests.memory]',
    ]);
  });
});

describe('HB-POD-012/013 token automount', () => {
  test('012 violation: unset; 013 silent', () => {
    const d = deployment(podSpec({ automountServiceAccountToken: undefined }));
    expect(findingsOf(automountExplicit, [d])).toEqual(['[automountServiceAccountToken]']);
    // Not a boolean (hand-written YAML): the API server would not read it as a decision either.
    expect(findingsOf(automountExplicit, [deployment(podSpec({ automountServiceAccountToken: 'false' }))])).toEqual(['[automountServiceAccountToken]']);
    expect(findingsOf(tokenAutomounted, [d])).toEqual([]);
  });

  test('013 violation (WARN): true; 012 satisfied', () => {
    const d = deployment(podSpec({ automountServiceAccountToken: true }));
    expect(findingsOf(automountExplicit, [d])).toEqual([]);
    expect(findingsOf(tokenAutomounted, [d])).toEqual(['[automountServiceAccountToken:true]']);
  });
});
