import { App } from 'cdk8s';
import { Manifest, Report, baselineRules, checkRules, collectManifests } from '../lib';
import { buildHomelab } from './index';

/** Options of {@link synthesizeHomelab}. */
export interface HomelabSynthesisOptions {
  /**
   * Where the rule pack writes its JSON report.
   * @default - no report file
   */
  readonly ruleReportFile?: string;
  /**
   * Receives the rule pack's one-line summary.
   * @default - silent
   */
  readonly log?: (line: string) => void;
}

/** The homelab as synth produces it, in memory: what `dist/` holds and the rule verdicts behind it. */
export interface HomelabSynthesis {
  readonly manifests: Manifest[];
  readonly risks: Report;
}

/**
 * Builds, validates and checks the homelab without writing anything: the one pipeline behind `main.ts`
 * (which then writes dist/, the inventory and the report), the drift audit and the tests.
 */
export function synthesizeHomelab(options: HomelabSynthesisOptions = {}): HomelabSynthesis {
  const app = new App();
  buildHomelab(app);
  const { manifests, report } = checkRules(app, collectManifests(app), {
    rules: baselineRules(),
    reportFile: options.ruleReportFile,
    log: options.log,
  });
  return { manifests, risks: report };
}

/** The security report's input for the homelab: its objects and rule verdicts. */
export function homelabReportInput(): { objects: Manifest['object'][]; risks: Report } {
  const { manifests, risks } = synthesizeHomelab();
  return { objects: manifests.map((m) => m.object), risks };
}
