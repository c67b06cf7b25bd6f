import { App } from 'cdk8s';
import { SecurityReportInput, Suppressions, baselineRules, collectManifests, enforceRules, runRules } from '../lib';
import { buildHomelab } from './index';

/**
 * The homelab's objects and rule verdicts as `npm run synth` computes them, in memory: the input of the
 * security report, for the drift audit and the tests (synth itself writes the report from main.ts).
 */
export function homelabReportInput(): SecurityReportInput {
  const app = new App();
  buildHomelab(app);
  const rules = baselineRules();
  const manifests = enforceRules(app, collectManifests(app), { rules });
  return { objects: manifests.map((m) => m.object), risks: runRules(manifests, rules, Suppressions.collect(app)) };
}
