import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ChartValues, argoCdValues } from '../../lib';
import { sharedDir } from '../../scripts/shared-inputs';

const scope = new Chart(new App(), 'values');
const dir = (name: string) => path.join(sharedDir(), 'charts', name);
const ARGO = dir('argo-cd-7.8.0');

describe('typed values are checked against the chart\'s values.yaml', () => {
  test('a key the chart declares passes, a typo is refused with the nearest key', () => {
    new ChartValues({ typed: { server: { service: { type: 'ClusterIP' } } } }).checkKeys(scope, ARGO, 'argo-cd');
    expect(() => new ChartValues({ typed: { server: { servce: { type: 'ClusterIP' } } } }).checkKeys(scope, ARGO, 'release "argo-cd"'))
      .toThrow(/release "argo-cd": typed values key server\.servce is not a value the chart declares \(did you mean "service"\?\).*Fix: correct the key/);
  });

  test('subchart keys are known under the alias (authentik\'s serviceAccount subchart) and under their name', () => {
    new ChartValues({ typed: { serviceAccount: { create: false } } }).checkKeys(scope, dir('authentik-2025.12.4'), 'authentik');
    new ChartValues({ typed: { 'redis-ha': { enabled: false } } }).checkKeys(scope, ARGO, 'argo-cd');
  });

  test('below an empty default map (labels, annotations) any key is accepted; open maps are named explicitly', () => {
    new ChartValues({ typed: { global: { podLabels: { team: 'x' } } } }).checkKeys(scope, ARGO, 'argo-cd');
    expect(() => new ChartValues({ typed: { configs: { cm: { 'url': 'x' } } } }).checkKeys(scope, ARGO, 'argo-cd')).toThrow(/configs\.cm\.url/);
    argoCdValues().checkKeys(scope, ARGO, 'argo-cd');
  });

  test('the escape hatch is not key-checked, needs a reason, and cannot set a typed key a second time', () => {
    const hatch = new ChartValues({ typed: { server: { replicas: 1 } }, unchecked: { values: { undocumented: { x: 1 } }, reason: 'the chart reads it without declaring it in values.yaml' } });
    hatch.checkKeys(scope, ARGO, 'argo-cd');
    expect(hatch.render(scope)).toEqual({ server: { replicas: 1 }, undocumented: { x: 1 } });
    expect(() => new ChartValues({ unchecked: { values: { a: 1 }, reason: 'short' } }).render(scope)).toThrow(/reason/);
    expect(() => new ChartValues({ typed: { server: { replicas: 1 } }, unchecked: { values: { server: { replicas: 2 } }, reason: 'a second place for the same replicas value' } }).render(scope))
      .toThrow(/chart value set both typed and unchecked: "server\.replicas"/);
  });
});
