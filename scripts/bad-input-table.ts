/**
 * Renders README's "What the library refuses": one row per case of test/bad-input-cases.ts, with the
 * message the library really gives (each case runs through the synth pipeline). The table sits between
 * `<!-- bad-input-table -->` and `<!-- /bad-input-table -->`; test/scripts/bad-input-table.test.ts fails when
 * it differs from this rendering.
 *
 *   ts-node --swc scripts/bad-input-table.ts           # print the table
 *   ts-node --swc scripts/bad-input-table.ts --write   # rewrite README's section
 */
import * as fs from 'fs';
import * as path from 'path';
import { table } from '../lib/report/markdown';
import { replaceFile } from '../lib/synth/atomic-dir';
import { BAD_INPUT_CASES, BadInputCase, refusal } from '../test/bad-input-cases';

export const README = path.resolve(__dirname, '..', 'README.md');
const START = '<!-- bad-input-table -->';
const END = '<!-- /bad-input-table -->';

/** The table: construct, input, and the message (each problem of a refusal on its own line). */
export function renderTable(cases: readonly BadInputCase[] = BAD_INPUT_CASES): string {
  return table(['construct', 'input', 'message'], cases.map((c) => [c.construct, `\`${c.input}\``, refusal(c).join('<br>')]));
}

/** The README's section between the markers, or undefined when they are missing. */
export function readmeSection(text: string): string | undefined {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return text.slice(start + START.length, end).trim();
}

/** `text` with the section between the markers replaced by `section`. */
export function withSection(text: string, section: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${README}: markers ${START} ... ${END} not found. Fix: add them where the table belongs.`);
  return `${text.slice(0, start + START.length)}\n${section}\n${text.slice(end)}`;
}

if (require.main === module) {
  const rendered = renderTable();
  if (process.argv.includes('--write')) replaceFile(README, withSection(fs.readFileSync(README, 'utf8'), rendered));
  else process.stdout.write(`${rendered}\n`);
}
