import { PSS_EXEMPTION_REASON } from '../../annotations';
import {
  KubernetesMinorVersion,
  POD_SECURITY_LABEL_PREFIX as PSS,
  POD_SECURITY_LEVELS as LEVELS,
  POD_SECURITY_MODES as MODES,
  isPinnedPodSecurityVersion,
} from '../../hardened-namespace';
import { isValidReason } from '../../validate';
import { Rule, RuleFinding } from '../rule';

/** HB-NS-001: every Namespace carries all six Pod Security labels, with known levels and pinned versions. */
export const podSecurityLabels: Rule = {
  id: 'HB-NS-001',
  level: 'ERROR',
  title: 'Namespace has Pod Security labels',
  why:
    'Without enforce/audit/warn labels the cluster default (privileged) admits any pod; an unpinned version ' +
    'lets a cluster upgrade silently change what is admitted.',
  fix: 'build the namespace with HardenedNamespace, or set pod-security.kubernetes.io/{enforce,audit,warn} and their -version labels (e.g. v1.28)',
  check(o) {
    if (o.kind !== 'Namespace') return [];
    const labels = o.metadata.labels ?? {};
    const out: RuleFinding[] = [];
    for (const mode of MODES) {
      const level = labels[`${PSS}/${mode}`];
      if (!LEVELS.includes(level)) {
        out.push({ finding: `[label:${PSS}/${mode}]`, detail: `${mode} level is ${JSON.stringify(level)}, not one of ${LEVELS.join('/')}` });
      }
      const version = labels[`${PSS}/${mode}-version`];
      if (!isPinnedPodSecurityVersion(version)) {
        out.push({ finding: `[label:${PSS}/${mode}-version]`, detail: `${mode} version is ${JSON.stringify(version)}, not a pinned v1.N` });
      }
    }
    return out;
  },
};

/** HB-NS-002: a namespace that enforces less than `restricted` is open hardening work. */
export const podSecurityRestricted: Rule = {
  id: 'HB-NS-002',
  level: 'WARN',
  title: 'Namespace enforces Pod Security restricted',
  why: 'baseline and privileged admit pods that run as root, keep capabilities or mount the host: a container escape gets further.',
  fix: 'harden the namespace\'s workloads until they pass restricted, then drop the podSecurity exemption',
  check(o) {
    if (o.kind !== 'Namespace') return [];
    const level = o.metadata.labels?.[`${PSS}/enforce`];
    if (level === 'restricted' || !LEVELS.includes(level ?? '')) return []; // a missing label is HB-NS-001's
    const reason = o.metadata.annotations?.[PSS_EXEMPTION_REASON];
    return [{ finding: `[enforce:${level}]`, detail: `enforces ${level}${reason ? ` (reason given: ${reason})` : ''}` }];
  },
};

/**
 * HB-NS-003: every Pod Security mode below `restricted` carries a written reason. HardenedNamespace insists on
 * one; this catches Namespaces written by hand, included as YAML or patched after construction.
 */
export const podSecurityReason: Rule = {
  id: 'HB-NS-003',
  level: 'ERROR',
  title: 'A looser Pod Security level carries a written reason',
  why: 'an unexplained baseline or privileged level is a silent weakening: nobody can review whether it is still needed.',
  fix: `state why in the ${PSS_EXEMPTION_REASON} annotation (HardenedNamespace's podSecurity.reason), or set the mode back to restricted`,
  check(o) {
    if (o.kind !== 'Namespace') return [];
    const looser = MODES.filter((m) => ['privileged', 'baseline'].includes(o.metadata.labels?.[`${PSS}/${m}`] ?? ''));
    if (!looser.length || isValidReason(o.metadata.annotations?.[PSS_EXEMPTION_REASON])) return [];
    return looser.map((m) => ({
      finding: `[${m}:${o.metadata.labels![`${PSS}/${m}`]}]`,
      detail: `${m} is ${o.metadata.labels![`${PSS}/${m}`]} without a reason of at least 20 characters in ${PSS_EXEMPTION_REASON}`,
    }));
  },
};

/**
 * HB-NS-006: no Pod Security `-version` label older than the cluster. Admission evaluates an old version's
 * Standards, which lack the later controls (`v1.0` has no runAsUser=0 check, a smaller sysctl set): a pod the
 * cluster's own version refuses is admitted. `latest` always evaluates the cluster's version, so it is never
 * older; HB-NS-001 refuses it anyway as unpinned (an upgrade would silently change what is admitted).
 */
export function podSecurityVersionRule(kubernetesVersion: KubernetesMinorVersion): Rule {
  const clusterMinor = minorOf(kubernetesVersion);
  if (clusterMinor === undefined) {
    throw new Error(`baselineRules: invalid kubernetesVersion ${JSON.stringify(kubernetesVersion)}. Allowed: a minor version such as "v1.28". Fix: declare the cluster's Kubernetes minor version`);
  }
  return {
    id: 'HB-NS-006',
    level: 'ERROR',
    title: 'Pod Security versions not older than the cluster',
    why: `An older version's Standards lack the controls added since: the cluster runs ${kubernetesVersion}, and a namespace pinned below it admits pods ${kubernetesVersion} would refuse.`,
    fix: `set every pod-security.kubernetes.io/<mode>-version label to ${kubernetesVersion} (HardenedNamespace's podSecurity.version), or newer`,
    check(o) {
      if (o.kind !== 'Namespace') return [];
      return MODES.flatMap((mode) => {
        const key = `${PSS}/${mode}-version`;
        const version = o.metadata.labels?.[key];
        const minor = isPinnedPodSecurityVersion(version) ? minorOf(version!) : undefined;
        if (minor === undefined || minor >= clusterMinor) return []; // latest or unpinned: HB-NS-001's
        return [{ finding: `[label:${key}]`, detail: `${mode} version ${version} is older than the cluster's ${kubernetesVersion}` }];
      });
    },
  };
}

function minorOf(version: string): number | undefined {
  const m = /^v1\.(\d+)$/.exec(version);
  return m ? Number(m[1]) : undefined;
}
