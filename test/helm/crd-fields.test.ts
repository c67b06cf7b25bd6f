import { DROPPED_FIELDS_ANNOTATION, KubeObject, dropUnknownCrdFields } from '../../lib';

const crd = (versions: Record<string, unknown>[]): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'things.example.com', annotations: { keep: 'me' } },
  spec: { group: 'example.com', versions },
});
const v1 = { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } };
const selectable = { ...v1, selectableFields: [{ jsonPath: '.spec.store' }] };

test('a 1.28 cluster gets the CRD without selectableFields, and the drop is recorded with its reason', () => {
  const out = dropUnknownCrdFields(crd([selectable, { ...v1, name: 'v1beta1', storage: false }]), '1.28.15');
  expect((out.spec as { versions: object[] }).versions).toEqual([v1, { ...v1, name: 'v1beta1', storage: false }]);
  expect(out.metadata.annotations?.keep).toBe('me');
  expect(out.metadata.annotations?.[DROPPED_FIELDS_ANNOTATION]).toMatch(/^spec\.versions\[v1\]\.selectableFields: field selectors .*1\.30.*Kubernetes 1\.28\.15 refuses it$/);
});

test('a cluster that knows the field keeps it, and nothing is annotated', () => {
  const input = crd([selectable]);
  for (const version of ['1.30.0', 'v1.31']) expect(dropUnknownCrdFields(input, version)).toBe(input);
});

test('objects other than CRDs and CRDs without the field are unchanged', () => {
  const plain = crd([v1]);
  expect(dropUnknownCrdFields(plain, '1.28.15')).toBe(plain);
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { selectableFields: 'x' } } as KubeObject;
  expect(dropUnknownCrdFields(cm, '1.28.15')).toBe(cm);
});
