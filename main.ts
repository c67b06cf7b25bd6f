import { synthesizeHomelab } from './homelab/synthesis';
import { AggregateBaselineError, BaselineError, inventoryFile, prepareSecurityReport, writeInventory, writeManifests } from './lib';

/**
 * Synthesizes the homelab into `dist/` (or $CDK8S_OUTDIR). Everything that can fail (validation, the rule
 * pack, rendering the report) happens in memory first, so a failure leaves every output as it was; then
 * dist/ is swapped in atomically, followed by the inventory and the report (each replaced in one rename).
 */
function main(): void {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const { manifests, risks } = synthesizeHomelab({
    ruleReportFile: process.env.RULES_REPORT ?? 'reports/rules.json',
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const report = prepareSecurityReport({
    templateFile: 'docs/security.template.md',
    outFile: process.env.SECURITY_REPORT ?? 'docs/security.md',
    objects: manifests.map((m) => m.object),
    risks,
  });
  writeManifests(outdir, manifests);
  // The committed list of every object beside dist/: a removed object is a visible, reviewed line.
  writeInventory(inventoryFile(outdir), manifests);
  report.write();
}

try {
  main();
} catch (e) {
  // Bad input is the operator's to fix: print the message, not a stack trace.
  const known = e instanceof BaselineError || e instanceof AggregateBaselineError;
  process.stderr.write(`synth failed, dist/ left unchanged.\n${known ? (e as Error).message : (e as Error).stack}\n`);
  process.exitCode = 1;
}
