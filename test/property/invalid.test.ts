/**
 * Property: every generated INVALID homelab (one rule broken in one namespace) fails synth with a
 * BaselineError in the documented shape, and never touches the previous dist/.
 */
import * as fc from 'fast-check';
import * as lib from '../../lib';
import { tempDir, treeDigest } from '../util';
import { homelab } from './gen/homelab';
import { INVALID_CASES } from './invalid';
import { INVALID_APP_CASES } from './invalid-apps';
import { refusesInvalidInput, synthTo } from './refusal';
import { assertProperty } from './settings';
import * as path from 'path';

const dist = path.join(tempDir('baseline-property-'), 'dist');

beforeAll(() => {
  // A previous synth: a valid generated homelab (fixed seed, so every run starts from the same tree).
  const [previous] = fc.sample(homelab(), { numRuns: 1, seed: 1 });
  synthTo(lib, dist, previous);
  expect(Object.keys(treeDigest(dist)).length).toBeGreaterThan(0);
});

/** Every rule broken, each equally likely: namespaces and network, then agents, secrets and workloads. */
const invalidHomelab = fc.oneof(...INVALID_CASES, ...INVALID_APP_CASES);

test('every generated invalid homelab is refused with the documented message and dist/ unchanged', () => {
  assertProperty(refusesInvalidInput(lib, dist, invalidHomelab), { numRuns: 400, timeLimitMs: 2500 });
});

test('every kind of invalid input is generated (none is filtered away)', () => {
  for (const cases of [...INVALID_CASES, ...INVALID_APP_CASES]) expect(fc.sample(cases, { numRuns: 3, seed: 7 })).toHaveLength(3);
});
