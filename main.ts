import { TRUTH_TABLE_FILE, renderHomelabTruthTable, synthesizeHomelab } from './homelab/synthesis';
import { AggregateBaselineError, BaselineError, inventoryFile, prepareSecurityReport, replaceFile, writeInventory, writeManifests } from './lib';

/**
 * Synthesizes the homelab into `dist/` (or $CDK8S_OUTDIR). Everything that can fail (validation, the rule
 * pack, rendering the report and the truth table) happens in memory first, so a failure leaves every output
 * as it was; then dist/ is swapped in atomically, followed by the inventory, the report and the truth table
 * (each replaced in one rename).
 */
function main(): void {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const { manifests, risks } = synthesizeHomelab({
    ruleReportFile: process.env.RULES_REPORT ?? 'reports/rules.json',
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const objects = manifests.map((m) => m.object);
  const report = prepareSecurityReport({
    templateFile: 'docs/security.template.md',
    outFile: process.env.SECURITY_REPORT ?? 'docs/security.md',
    objects,
    risks,
  });
  const truthTableFile = process.env.TRUTH_TABLE ?? TRUTH_TABLE_FILE;
  const truthTable = renderHomelabTruthTable(objects, truthTableFile);
  writeManifests(outdir, manifests);
  // The committed list of every object beside dist/: a removed object is a visible, reviewed line.
  writeInventory(inventoryFile(outdir), manifests);
  report.write();
  replaceFile(truthTableFile, truthTable);
}

try {
  main();
} catch (e) {
  // Bad input is the operator's to fix: print the message, not a stack trace.
  const known = e instanceof BaselineError || e instanceof AggregateBaselineError;
  process.stderr.write(`synth failed, dist/ left unchanged.\n${known ? (e as Error).message : (e as Error).stack}\n`);
  process.exitCode = 1;
}
