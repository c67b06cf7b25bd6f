/**
 * The property suites must catch a broken construct, with a seed that replays the failure. The broken
 * construct is the real DefaultDenyPolicies with its port validation removed (validatePort mocked to a
 * no-op in an isolated module registry): the refusal property must fail, report `seed` and `path`, and
 * the reported seed and path must reproduce the same counterexample.
 */
import * as path from 'path';
import * as fc from 'fast-check';
import * as lib from '../../lib';
import { tempDir } from '../util';
import { LibModule, homelab } from './gen/homelab';
import { invalidPort } from './invalid';
import { refusesInvalidInput, synthTo } from './refusal';
import { propertyParams } from './settings';

/** The library with `validatePort` turned into a no-op: a construct that forgot to check its ports. */
function libWithoutPortValidation(): LibModule {
  let broken: LibModule | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../lib/network/port', () => ({ ...jest.requireActual('../../lib/network/port'), validatePort: () => undefined }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module instance under the mock needs require
    broken = require('../../lib');
  });
  return broken!;
}

const budget = { numRuns: 100, timeLimitMs: 1500 };

function previousDist(): string {
  const dist = path.join(tempDir('baseline-broken-'), 'dist');
  synthTo(lib, dist, fc.sample(homelab(), { numRuns: 1, seed: 1 })[0]);
  return dist;
}

test('the intact construct passes the port part of the refusal property', () => {
  const run = fc.check(refusesInvalidInput(lib, previousDist(), invalidPort), propertyParams(budget));
  expect(run.failed).toBe(false);
});

test('without port validation the refusal property fails, reports its seed, and the seed replays it', () => {
  const broken = libWithoutPortValidation();
  const run = fc.check(refusesInvalidInput(broken, previousDist(), invalidPort), propertyParams(budget));
  expect(run.failed).toBe(true);
  const report = fc.defaultReportMessage(run)!;
  expect(report).toContain(`seed: ${run.seed}`);
  expect(report).toContain(`path: "${run.counterexamplePath}"`);
  // The counterexample is a bad port that went through (the shrunk case: one namespace, the port alone).
  const [counterexample] = run.counterexample!;
  expect(counterexample.rule).toBe('port out of range');

  // Replaying with the reported seed and path (FC_SEED/FC_PATH) fails at once on the same input (without
  // shrinking further: under load the first run's shrinking may have been cut short by the time limit).
  const replay = fc.check(refusesInvalidInput(broken, previousDist(), invalidPort), {
    ...propertyParams(budget),
    seed: run.seed,
    path: run.counterexamplePath!,
    endOnFailure: true,
  });
  expect(replay.failed).toBe(true);
  expect(replay.numRuns).toBe(1);
  expect(replay.counterexample).toEqual(run.counterexample);
});
