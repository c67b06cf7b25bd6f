import * as path from 'path';
import { TRUTH_TABLE_FILE, renderHomelabTruthTable, synthesizeHomelab } from './homelab/synthesis';
import { AggregateBaselineError, BaselineError, inventoryFile, prepareSecurityReport, replaceFile, writeInventory, writeManifests, writeRuleReport } from './lib';

/**
 * Where one synth writes. The project's own output (`dist`, the default) keeps its committed companions
 * beside it: `dist.inventory.txt`, `docs/security.md`, `docs/reachability.md`, `reports/rules.json`. Any other
 * output folder (`cdk8s synth -o DIR`, CDK8S_OUTDIR=DIR) gets everything under it, companions in
 * `DIR/_reports/` (no namespace can be named `_reports`), so nothing outside DIR is rewritten. The env
 * overrides (RULES_REPORT, SECURITY_REPORT, TRUTH_TABLE) still win.
 */
function outputPaths(outdir: string): { inventory: string; rules: string; rulesFirst: boolean; report: string; truthTable: string } {
  const own = path.resolve(outdir) === path.resolve('dist');
  const under = (file: string) => path.join(outdir, '_reports', file);
  return {
    inventory: own ? inventoryFile(outdir) : under('inventory.txt'),
    rules: process.env.RULES_REPORT ?? (own ? 'reports/rules.json' : under('rules.json')),
    rulesFirst: own || process.env.RULES_REPORT !== undefined,
    report: process.env.SECURITY_REPORT ?? (own ? 'docs/security.md' : under('security.md')),
    truthTable: process.env.TRUTH_TABLE ?? (own ? TRUTH_TABLE_FILE : under('reachability.md')),
  };
}

/**
 * Synthesizes the homelab into `dist/` (or $CDK8S_OUTDIR). Everything that can fail (validation, the rule
 * pack, rendering the report and the truth table) happens in memory first, so a failure leaves every output
 * as it was; then dist/ is swapped in atomically, followed by the inventory, the report and the truth table
 * (each replaced in one rename).
 */
function main(): void {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const out = outputPaths(outdir);
  const { manifests, risks } = synthesizeHomelab({
    // Under DIR, the rule report is written after DIR is swapped in (the swap would drop it).
    ruleReportFile: out.rulesFirst ? out.rules : undefined,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const objects = manifests.map((m) => m.object);
  const report = prepareSecurityReport({
    templateFile: 'docs/security.template.md',
    outFile: out.report,
    objects,
    risks,
  });
  // The reviewed reasons come from the committed truth table (or $TRUTH_TABLE), wherever this synth writes.
  const truthTable = renderHomelabTruthTable(objects, process.env.TRUTH_TABLE ?? TRUTH_TABLE_FILE);
  writeManifests(outdir, manifests);
  // The committed list of every object beside dist/: a removed object is a visible, reviewed line.
  writeInventory(out.inventory, manifests);
  report.write();
  replaceFile(out.truthTable, truthTable);
  if (!out.rulesFirst) writeRuleReport(out.rules, risks);
}

try {
  main();
} catch (e) {
  // Bad input is the operator's to fix: print the message, not a stack trace.
  const known = e instanceof BaselineError || e instanceof AggregateBaselineError;
  process.stderr.write(`synth failed, dist/ left unchanged.\n${known ? (e as Error).message : (e as Error).stack}\n`);
  process.exitCode = 1;
}
