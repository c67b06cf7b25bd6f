import { ParityRow, ParityStatus, parityExitCode } from './parity';

/** The parity report as Markdown: counts per status, what they mean, then one table row per object. */
export function renderParityMarkdown(rows: readonly ParityRow[], options: { from: string; dist: string }): string {
  const counts = Object.values(ParityStatus).map((s) => [s, rows.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0);
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const verdict = parityExitCode(rows) === 0
    ? 'Nothing is looser, missing or immutable: the first sync keeps what runs today.'
    : 'Fix the looser, missing and immutable rows before the first sync (exit 1).';
  return [
    `## Adoption parity: \`${options.from}\` (existing) against \`${options.dist}\``,
    '',
    `${rows.length} objects: ${counts.map(([s, n]) => `${n} ${s}`).join(', ') || 'none'}. ${verdict}`,
    '',
    '| status | kind | namespace | name | detail |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.status} | ${r.kind} | ${r.namespace ?? ''} | ${cell(r.name)} | ${cell(r.detail)} |`),
    '',
  ].join('\n');
}

/** The parity report as JSON lines: one `{kind, namespace, name, status, detail}` object per line. */
export function renderParityJson(rows: readonly ParityRow[]): string {
  return rows.map((r) => JSON.stringify({ kind: r.kind, namespace: r.namespace, name: r.name, status: r.status, detail: r.detail })).join('\n') + (rows.length ? '\n' : '');
}
