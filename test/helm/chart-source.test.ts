import * as fs from 'fs';
import * as path from 'path';
import { verifyChartSource } from '../../lib';
import { sharedDir } from '../../scripts/shared-inputs';
import { tempDir } from '../util';

const CHART = 'trivy-operator-0.32.0';

/** A private copy of one pinned chart and its SHA256SUMS lines, to break. */
function copy(): string {
  const dir = tempDir('charts-');
  const src = path.join(sharedDir(), 'charts');
  fs.cpSync(path.join(src, CHART), path.join(dir, CHART), { recursive: true });
  const lines = fs.readFileSync(path.join(src, 'SHA256SUMS'), 'utf8').split('\n').filter((l) => l.includes(`./${CHART}/`));
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), `${lines.join('\n')}\n`);
  return dir;
}

const req = (chartsDir: string, chart = 'trivy-operator', version = '0.32.0') => ({ chartsDir, chart, version, path: 'App/charts/trivy-operator', release: 'trivy-operator' });

test('a pinned chart verifies: every listed file, one digest over them', () => {
  const dir = copy();
  const v = verifyChartSource(req(dir));
  expect(v.files).toBe(fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n').length);
  expect(v.digest).toMatch(/^[0-9a-f]{64}$/);
  expect(verifyChartSource(req(dir)).digest).toBe(v.digest);
});

test('digest mismatch: one changed byte is refused, naming release, chart, file and fix', () => {
  const dir = copy();
  fs.appendFileSync(path.join(dir, CHART, 'values.yaml'), '\n');
  expect(() => verifyChartSource(req(dir))).toThrow(
    /\[App\/charts\/trivy-operator\] release "trivy-operator", chart trivy-operator@0\.32\.0: digest mismatch.*trivy-operator-0\.32\.0\/values\.yaml.*Fix: restore/,
  );
});

test('a listed file that is missing is a digest mismatch', () => {
  const dir = copy();
  fs.rmSync(path.join(dir, CHART, 'Chart.yaml'));
  expect(() => verifyChartSource(req(dir))).toThrow(/digest mismatch.*sha256 missing/);
});

test('a file SHA256SUMS does not list is refused (helm would read it)', () => {
  const dir = copy();
  fs.writeFileSync(path.join(dir, CHART, 'templates', 'extra.yaml'), 'kind: ClusterRoleBinding\n');
  expect(() => verifyChartSource(req(dir))).toThrow(/file not pinned in SHA256SUMS.*templates\/extra\.yaml/);
});

test('unknown chart or version: refused, listing the pinned sources', () => {
  const dir = copy();
  expect(() => verifyChartSource(req(dir, 'trivy-operator', '0.99.0'))).toThrow(/unknown chart.*Allowed: a pinned chart source in .*: trivy-operator-0\.32\.0/);
});

test('the vendored kube-prometheus-stack fails its digests today, so it is never rendered', () => {
  const chartsDir = path.join(sharedDir(), 'charts');
  expect(() => verifyChartSource({ chartsDir, chart: 'kube-prometheus-stack', version: '82.1.0', path: 'x', release: 'kube-prometheus-stack' }))
    .toThrow(/digest mismatch.*kube-prometheus-stack-82\.1\.0\/charts\/.*sha256 missing/);
});
