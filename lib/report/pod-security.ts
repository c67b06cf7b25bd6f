import { PSS_EXEMPTION_REASON } from '../annotations';
import { POD_SECURITY_LABEL_PREFIX as PSS, POD_SECURITY_MODES } from '../hardened-namespace';
import { code, table } from './markdown';
import { ObjectIndex } from './objects';

/** One namespace's Pod Security admission, as its labels say. */
export interface PodSecurityRow {
  readonly namespace: string;
  /** The level, or undefined when the label is missing (the cluster default applies). */
  readonly enforce?: string;
  readonly audit?: string;
  readonly warn?: string;
  /** The pinned versions, `enforce/audit/warn` collapsed when equal. */
  readonly version?: string;
  /** The written reason for a looser level (`baseline.homelab.dev/pod-security-reason`). */
  readonly reason?: string;
}

/** One row per Namespace object, sorted by name. */
export function podSecurityRows(index: ObjectIndex): PodSecurityRow[] {
  return index.ofKind('Namespace').map((ns) => {
    const labels = ns.metadata.labels ?? {};
    const versions = [...new Set(POD_SECURITY_MODES.map((m) => labels[`${PSS}/${m}-version`] ?? 'unset'))];
    return {
      namespace: ns.metadata.name,
      enforce: labels[`${PSS}/enforce`],
      audit: labels[`${PSS}/audit`],
      warn: labels[`${PSS}/warn`],
      version: versions.join(', '),
      reason: ns.metadata.annotations?.[PSS_EXEMPTION_REASON],
    };
  });
}

/** `restricted`, or `audit: x, warn: y` when the two modes differ. */
export function auditWarnText(row: PodSecurityRow): string {
  const audit = row.audit ?? 'unset';
  const warn = row.warn ?? 'unset';
  return audit === warn ? audit : `audit: ${audit}, warn: ${warn}`;
}

/** True when enforce, audit and warn are all `restricted`. */
export function isFullyRestricted(row: PodSecurityRow): boolean {
  return row.enforce === 'restricted' && row.audit === 'restricted' && row.warn === 'restricted';
}

/** The Pod Security table. */
export function renderPodSecurity(index: ObjectIndex): string {
  return table(
    ['Namespace', 'Enforce', 'Audit/Warn', 'Version', 'Reason'],
    podSecurityRows(index).map((r) => [
      code(r.namespace),
      r.enforce ?? 'unset (cluster default)',
      auditWarnText(r),
      r.version ?? '',
      r.reason ?? (isFullyRestricted(r) ? 'restricted in every mode: no exemption needed' : 'none given'),
    ]),
  );
}
