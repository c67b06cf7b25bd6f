import { PSS_EXEMPTION_REASON } from '../../annotations';
import { Rule, RuleFinding } from '../rule';

const PSS = 'pod-security.kubernetes.io';
const LEVELS = ['privileged', 'baseline', 'restricted'];
const MODES = ['enforce', 'audit', 'warn'];

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
      if (!/^v1\.\d+$/.test(version ?? '')) {
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
