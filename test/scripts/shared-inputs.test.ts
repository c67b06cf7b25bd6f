import * as fs from 'fs';
import * as path from 'path';
import { sharedDir, verifiedCrdFiles, verifiedFiles } from '../../scripts/shared-inputs';
import { tempDir } from '../util';

/** A copy of ../shared/<sub> that a test may tamper with, selected through BASELINE_SHARED_DIR. */
function copyOfShared(sub: 'crds' | 'schemas'): string {
  const root = tempDir('baseline-shared-');
  fs.cpSync(path.join(sharedDir(), sub), path.join(root, sub), { recursive: true });
  return root;
}

function withShared<T>(root: string, f: () => T): T {
  const saved = process.env.BASELINE_SHARED_DIR;
  process.env.BASELINE_SHARED_DIR = root;
  try {
    return f();
  } finally {
    if (saved === undefined) delete process.env.BASELINE_SHARED_DIR;
    else process.env.BASELINE_SHARED_DIR = saved;
  }
}

test('the pinned CRDs and schema verify against their SHA256SUMS', () => {
  expect(verifiedCrdFiles().map((f) => path.basename(f))).toEqual(
    expect.arrayContaining(['application-crd.yaml', 'appproject-crd.yaml', 'external-secrets.io_externalsecrets.yaml', 'external-secrets.io_clustersecretstores.yaml']),
  );
  expect(verifiedFiles('schemas').map((f) => path.basename(f))).toEqual(['_definitions.json']);
});

test('a tampered CRD stops with the file, both digests and the fix', () => {
  const root = copyOfShared('crds');
  const file = path.join(root, 'crds', 'argo-cd-v2.14.21', 'appproject-crd.yaml');
  fs.appendFileSync(file, '# tampered\n');
  expect(() => withShared(root, verifiedCrdFiles)).toThrow(
    /appproject-crd\.yaml: sha256 [0-9a-f]{64} does not match the pinned d9a63cb9a12ef66bbf4e811c94fbaa3922af00ed7bb3af791e85dcd7337ffe4c\. .*Fix: restore it from the pinned upstream release/,
  );
});

test('a missing CRD is reported as missing', () => {
  const root = copyOfShared('crds');
  fs.rmSync(path.join(root, 'crds', 'external-secrets-v0.20.4', 'external-secrets.io_externalsecrets.yaml'));
  expect(() => withShared(root, verifiedCrdFiles)).toThrow(/external-secrets\.io_externalsecrets\.yaml: sha256 missing does not match/);
});

test('an unparseable SHA256SUMS stops with the line number', () => {
  const root = copyOfShared('crds');
  fs.appendFileSync(path.join(root, 'crds', 'SHA256SUMS'), 'not a digest line\n');
  expect(() => withShared(root, verifiedCrdFiles)).toThrow(/SHA256SUMS:9: unparseable line "not a digest line"\. Allowed: "<64 hex digits> {2}<relative path>"/);
});

test('a missing shared folder says where the inputs come from', () => {
  expect(() => withShared(tempDir(), verifiedCrdFiles)).toThrow(/SHA256SUMS not found\. .*Fix: put them in \.\.\/shared or set BASELINE_SHARED_DIR/);
});
