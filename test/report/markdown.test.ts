import { cell, code, sortBy, table } from '../../lib/report/markdown';

describe('Markdown tables', () => {
  test('cells escape pipes, fold line breaks and show empty values as a dash', () => {
    expect(cell('a | b\nc')).toBe('a \\| b c');
    expect(cell('')).toBe('—');
    expect(cell(undefined)).toBe('—');
    expect(cell(false)).toBe('false');
  });

  test('code spans survive backticks', () => {
    expect(code('a')).toBe('`a`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`a')).toBe('`` `a ``');
  });

  test('a table has a header, a separator and one line per row; no rows is a sentence', () => {
    expect(table(['A', 'B'], [['1', 'x|y']])).toBe('| A | B |\n| --- | --- |\n| 1 | x\\|y |');
    expect(table(['A'], [], '_Nothing._')).toBe('_Nothing._');
    expect(() => table(['A', 'B'], [['1']])).toThrow(/table row has 1 cells, expected 2/);
  });

  test('sortBy orders by byte value, key by key, and keeps equal items in order', () => {
    const items = [{ k: ['b', '1'], n: 1 }, { k: ['a', '2'], n: 2 }, { k: ['B', '1'], n: 3 }, { k: ['a', '2'], n: 4 }];
    expect(sortBy(items, (i) => i.k).map((i) => i.n)).toEqual([3, 2, 4, 1]);
  });
});
