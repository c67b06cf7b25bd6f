/**
 * Reviewed files: generated files whose rows are computed by synth, while a reason column is written by a
 * human reviewer and carried over from the previous version. A row nobody has reviewed yet is marked
 * {@link UNREVIEWED} and counts as having no reason: CI refuses it until someone writes one.
 */

/** What a row without a reason shows. */
export const UNREVIEWED = '**unreviewed**';

/** The reason as a table cell: `|` escaped, an empty reason marked {@link UNREVIEWED}. */
export function reasonCell(reason: string): string {
  const trimmed = reason.trim();
  return trimmed === '' || trimmed === UNREVIEWED ? UNREVIEWED : trimmed.replace(/\|/g, '\\|');
}

/** The reason a cell holds: '' for {@link UNREVIEWED}. */
export function cellReason(cell: string | undefined): string {
  const trimmed = (cell ?? '').trim();
  return trimmed === UNREVIEWED ? '' : trimmed.replace(/\\\|/g, '|');
}

/** The cells of the first Markdown table in `text`, header and separator rows skipped. */
export function parseMarkdownTable(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    // Split on unescaped pipes only, so a reason may contain "\|".
    const cells = line.slice(1, line.endsWith('|') ? -1 : undefined).split(/(?<!\\)\|/).map((c) => c.trim());
    rows.push(cells.map((c, i) => (i === cells.length - 1 ? cellReason(c) : c)));
  }
  return rows;
}

/** True for a reason that says nothing: empty, `?`, or a todo/tbd/fixme placeholder. */
export function isPlaceholderReason(reason: string): boolean {
  const r = reason.normalize('NFKC').replace(/[\u200b-\u200f\u2060\ufeff]/g, '').trim();
  return r === '' || r === '?' || /^(todo|tbd|fixme|xxx)\b/i.test(r);
}
