/** A Markdown table cell: pipes escaped, line breaks folded, empty cells shown as an em dash. */
export function cell(value: string | number | boolean | undefined): string {
  const text = value === undefined ? '' : String(value);
  const folded = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
  return folded === '' ? '—' : folded;
}

/** Inline code, safe for any content (a backtick inside gets a longer fence). */
export function code(value: string): string {
  if (value === '') return '';
  const fence = value.includes('`') ? '``' : '`';
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/**
 * A Markdown table. Rows are printed in the order given (callers sort them); an empty table is a sentence,
 * so a section never renders a header without rows.
 */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], empty = '_None._'): string {
  if (!rows.length) return empty;
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  for (const r of rows) {
    if (r.length !== headers.length) throw new Error(`table row has ${r.length} cells, expected ${headers.length}: ${JSON.stringify(r)}`);
  }
  return [line(headers.map(cell)), line(headers.map(() => '---')), ...rows.map((r) => line(r.map((c) => cell(c))))].join('\n');
}

/** Byte-wise string order (not locale order): the same on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts a copy of `list` by the string keys `key` returns, left to right. */
export function sortBy<T>(list: readonly T[], key: (item: T) => readonly string[]): T[] {
  return [...list].sort((x, y) => {
    const a = key(x);
    const b = key(y);
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const c = compare(a[i] ?? '', b[i] ?? '');
      if (c) return c;
    }
    return 0;
  });
}
