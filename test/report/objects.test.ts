import { KubeObject, exemptionAnnotation } from '../../lib';
import { ObjectIndex, exemptionsIn, workloadsOf } from '../../lib/report/objects';

const REASON = 'the agent reads the host checkout of its own source';

describe('workloadsOf', () => {
  test("the object's annotation wins over its pod template's, as in the rule engine", () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'apps', annotations: { [exemptionAnnotation('hostpath')]: `src: ${REASON}` } },
      spec: { template: { metadata: { annotations: { [exemptionAnnotation('hostpath')]: 'src: from the template, ignored' } }, spec: { containers: [] } } },
    };
    expect(workloadsOf(new ObjectIndex([deployment]))[0].annotations[exemptionAnnotation('hostpath')]).toBe(`src: ${REASON}`);
  });
});

describe('exemptionsIn', () => {
  test('lists exemption annotations with a real reason only, sorted by what', () => {
    expect(exemptionsIn({
      [exemptionAnnotation('unpinned-image')]: `app: ${REASON}`,
      [exemptionAnnotation('hostpath')]: REASON,
      [exemptionAnnotation('writable-root')]: 'TODO: write a reason for this later',
      [exemptionAnnotation('run-as-root')]: 'short',
      'example.com/exemption.other': REASON,
    })).toEqual([
      { what: 'hostpath', reason: REASON },
      { what: 'unpinned-image', reason: `app: ${REASON}` },
    ]);
  });
});
