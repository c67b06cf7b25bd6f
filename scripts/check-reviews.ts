/**
 * Fails (exit 1) when a reviewed file has a row nobody has reviewed: a truth-table connection or a scanner
 * finding without a reason. Run by `npm run check:dist` after the freshness check, so CI refuses a change
 * whose new connections or findings were never explained.
 */
import * as fs from 'fs';
import { TRUTH_TABLE_FILE } from '../homelab/synthesis';
import { isPlaceholderReason, parseTruthTable, tripleKey, unreviewedRows } from '../lib';

const SCANNER_FINDINGS = 'test/scanners/accepted-findings.json';

const problems: string[] = [];
for (const row of unreviewedRows(parseTruthTable(fs.readFileSync(TRUTH_TABLE_FILE, 'utf8')))) {
  problems.push(`${TRUTH_TABLE_FILE}: ${tripleKey(row)} has no reason`);
}
const findings: Record<string, Record<string, string>> = JSON.parse(fs.readFileSync(SCANNER_FINDINGS, 'utf8'));
const checks: Record<string, Record<string, string>> = (findings as any)._checks ?? {};
for (const [scanner, entries] of Object.entries(findings).filter(([name]) => name !== '_checks')) {
  for (const [finding, own] of Object.entries(entries)) {
    const reason = own || checks[scanner]?.[finding.split(' ')[0]] || '';
    if (isPlaceholderReason(reason)) problems.push(`${SCANNER_FINDINGS}: ${scanner} "${finding}" has no reason`);
  }
}
if (problems.length) {
  process.stderr.write(`Unreviewed rows (write the reason in the file, then run 'npm run synth'; README "Add a service"):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write('every truth-table row and scanner finding has a reason\n');
}
