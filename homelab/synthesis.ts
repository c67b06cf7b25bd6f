import * as fs from 'fs';
import { App } from 'cdk8s';
import { KubeObject, Manifest, Report, allowedTriples, baselineRules, checkRules, collectManifests, renderTruthTable } from '../lib';
import { KUBERNETES_VERSION } from './cluster';
import { gatewayBackendAddresses } from './gateway';
import { DEPLOY_BRANCH } from './gitops';
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
 * (which then writes dist/, the inventory and the reviewed files), the drift audit and the tests.
 */
export function synthesizeHomelab(options: HomelabSynthesisOptions = {}): HomelabSynthesis {
  const app = new App();
  buildHomelab(app);
  const { manifests, report } = checkRules(app, collectManifests(app), {
    rules: baselineRules({ kubernetesVersion: KUBERNETES_VERSION, deployBranch: DEPLOY_BRANCH }),
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

/** The reachability truth table: the connections dist/'s NetworkPolicies allow, reviewed row by row. */
export const TRUTH_TABLE_FILE = 'docs/reachability.md';

/** The truth table's outside endpoints besides the defaults: the gateway proxies' backends. */
export const REACHABILITY_ADDRESSES = gatewayBackendAddresses();

/** The truth-table file for `objects`, keeping the reasons (and the prose) of `file` as it is now. */
export function renderHomelabTruthTable(objects: readonly KubeObject[], file = TRUTH_TABLE_FILE): string {
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  return renderTruthTable(previous, allowedTriples(objects, { addresses: REACHABILITY_ADDRESSES }));
}
