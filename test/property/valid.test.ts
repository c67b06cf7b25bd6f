/**
 * Property: every generated VALID homelab synthesizes (tree validation included) and passes the rule pack
 * with no unsuppressed ERROR. The same generators feed the real-API-server suite
 * (test/cluster/property.cluster.test.ts), which checks the objects are accepted by kube-apiserver.
 */
import { App } from 'cdk8s';
import * as fc from 'fast-check';
import * as lib from '../../lib';
import { build, homelab } from './gen/homelab';
import { assertProperty } from './settings';

test('every generated valid homelab synthesizes and passes the rule pack', () => {
  assertProperty(
    fc.property(homelab(), (spec) => {
      const app = new App();
      build(lib, app, spec);
      const manifests = lib.collectManifests(app);
      // Throws an AggregateBaselineError listing every unsuppressed ERROR.
      lib.enforceRules(app, manifests, { rules: lib.baselineRules() });
      const names = manifests.filter((m) => m.object.kind === 'Namespace').map((m) => m.object.metadata.name);
      expect(names.sort()).toEqual(spec.namespaces.map((n) => n.name).sort());
    }),
    { numRuns: 100, timeLimitMs: 3000 },
  );
});
