import * as fs from 'fs';
import { README, readmeSection, renderTable, withSection } from '../../scripts/bad-input-table';
import { BAD_INPUT_CASES } from '../bad-input-cases';

test('README\'s "What the library refuses" is the rendering of the bad-input cases (npm run docs:bad-input)', () => {
  expect(readmeSection(fs.readFileSync(README, 'utf8'))).toBe(renderTable());
});

test('one row per case, pipes in messages escaped', () => {
  const rows = renderTable().split('\n').slice(2);
  expect(rows).toHaveLength(BAD_INPUT_CASES.length);
  for (const row of rows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(5);
});

test('the section is replaced between the markers only', () => {
  const text = 'intro\n<!-- bad-input-table -->\nold\n<!-- /bad-input-table -->\noutro\n';
  expect(withSection(text, 'new')).toBe('intro\n<!-- bad-input-table -->\nnew\n<!-- /bad-input-table -->\noutro\n');
  expect(() => withSection('no markers', 'x')).toThrow(/markers <!-- bad-input-table --> \.\.\. <!-- \/bad-input-table --> not found/);
});
