import { DiffExitCode, ObjectDiff, diffExitCode } from './diff-objects';
import { DiffFinding, Impact, Topic } from './finding';

const TOPICS: Record<Topic, string> = {
  rbac: 'RBAC',
  network: 'NetworkPolicy',
  'pod-security': 'Pod Security',
  workload: 'Workloads (pod specs)',
  gitops: 'ArgoCD AppProjects',
  exemption: 'Suppressions and exemptions',
  prune: 'Removed (ArgoCD prunes)',
  version: 'Images and charts',
  service: 'Service exposure',
  secrets: 'External Secrets (which keys reach which namespace)',
};

/** Options of {@link renderDiffMarkdown}. */
export interface RenderDiffOptions {
  /** What `before` is, e.g. `origin/main (3f2a9c1)`. */
  readonly base: string;
  /** What `after` is. @default 'dist/' */
  readonly head?: string;
}

/** The review summary: the verdict first, then security widenings, other security changes, and the objects. */
export function renderDiffMarkdown(d: ObjectDiff, options: RenderDiffOptions): string {
  const code = diffExitCode(d);
  const widenings = d.findings.filter((f) => f.impact === Impact.WIDENING);
  const others = d.findings.filter((f) => f.impact === Impact.CHANGE);
  const lines = [`## Synth diff: ${options.head ?? 'dist/'} against ${options.base}`, ''];
  lines.push(
    code === DiffExitCode.SECURITY_WIDENING
      ? `**Security widening: ${widenings.length} finding(s) need an acknowledgement.**`
      : code === DiffExitCode.CHANGES
        ? '**Changes, no security widening.**'
        : '**No change.**',
    '',
    `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged objects.`,
  );
  section(lines, 'Security widening', findingLines(widenings));
  section(lines, 'Other security-relevant changes', findingLines(others));
  section(lines, 'Added objects', d.added.map((o) => `- ${o}`));
  section(lines, 'Removed objects (ArgoCD prunes them)', d.removed.map((o) => `- ${o}`));
  section(lines, 'Changed objects', d.changed.map((c) => `- ${c.object}: ${c.paths.map((p) => `\`${p}\``).join(', ')}`));
  return `${lines.join('\n')}\n`;
}

function findingLines(findings: readonly DiffFinding[]): string[] {
  const out: string[] = [];
  for (const topic of Object.keys(TOPICS) as Topic[]) {
    const mine = findings.filter((f) => f.topic === topic);
    if (!mine.length) continue;
    // One line per finding whatever a value holds (annotations may span lines).
    out.push(`- **${TOPICS[topic]}**`, ...mine.map((f) => `  - ${f.object}: ${f.message.replace(/\s*\n\s*/g, ' ')}`));
  }
  return out;
}

function section(lines: string[], title: string, body: readonly string[]): void {
  if (body.length) lines.push('', `### ${title}`, '', ...body);
}
