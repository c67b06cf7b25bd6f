import { App } from 'cdk8s';
import { buildHomelab } from './homelab';
import { BaselineError, AggregateBaselineError, collectManifests, writeManifests } from './lib';

/** Synthesizes the homelab into `dist/` (or $CDK8S_OUTDIR), atomically. */
function main(): void {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const app = new App({ outdir });
  buildHomelab(app);
  writeManifests(outdir, collectManifests(app));
}

try {
  main();
} catch (e) {
  // Bad input is the operator's to fix: print the message, not a stack trace.
  const known = e instanceof BaselineError || e instanceof AggregateBaselineError;
  process.stderr.write(`synth failed, dist/ left unchanged.\n${known ? (e as Error).message : (e as Error).stack}\n`);
  process.exitCode = 1;
}
