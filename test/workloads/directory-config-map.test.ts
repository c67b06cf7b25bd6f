import * as fs from 'fs';
import * as path from 'path';
import { DirectoryConfigMap, MAX_CONFIG_MAP_BYTES } from '../../lib';
import { find, synthChart, tempDir } from '../util';

/** Writes `files` (relative path → content) under a fresh folder and returns it. */
function folder(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(root, 'src-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}
const root = tempDir('directory-config-map-');

function synth(directory: string, more: Partial<{ includeHidden: boolean }> = {}) {
  let cm: DirectoryConfigMap | undefined;
  const objects = synthChart((c) => (cm = new DirectoryConfigMap(c, 'cm', { name: 'skills', namespace: 'apps', directory, ...more })));
  return { object: find(objects, 'ConfigMap', 'skills', 'apps'), cm: cm! };
}

describe('DirectoryConfigMap', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff]);
  const dir = folder({
    'b.md': '# B\n',
    'a.md': '# A\n',
    'gitops/SKILL.md': 'ünïcode ✓\n',
    'gitops/deep/x.yaml': 'k: v\n',
    'logo.png': png,
    '.DS_Store': 'junk',
    '.git/config': 'junk',
  });

  test('every file, text in data and binary in binaryData, subfolders flattened to keys', () => {
    const { object } = synth(dir);
    expect(object.data).toEqual({
      'a.md': '# A\n',
      'b.md': '# B\n',
      'gitops__SKILL.md': 'ünïcode ✓\n',
      'gitops__deep__x.yaml': 'k: v\n',
    });
    expect(object.binaryData).toEqual({ 'logo.png': png.toString('base64') });
    expect(object.metadata).toEqual({ name: 'skills', namespace: 'apps' });
  });

  test('items restore the tree, in a fixed order; the volume is read-only with mode 0444', () => {
    const { cm } = synth(dir);
    const expected = [
      { key: 'a.md', path: 'a.md' },
      { key: 'b.md', path: 'b.md' },
      { key: 'gitops__SKILL.md', path: 'gitops/SKILL.md' },
      { key: 'gitops__deep__x.yaml', path: 'gitops/deep/x.yaml' },
      { key: 'logo.png', path: 'logo.png' },
    ];
    expect(cm.items).toEqual(expected);
    const v = cm.volume('skills');
    expect(v.source).toEqual({ configMap: { name: 'skills', items: expected, defaultMode: 0o444 } });
    expect(v.readOnlyByDefault).toBe(true);
  });

  test('hidden files only when asked', () => {
    const { object } = synth(dir, { includeHidden: true });
    expect(Object.keys(object.data)).toEqual(expect.arrayContaining(['.DS_Store', '.git__config']));
  });

  test('deterministic: the same folder gives the same object', () => {
    expect(synth(dir).object).toEqual(synth(dir).object);
  });

  test('up to exactly 1 MiB of keys and values', () => {
    const { cm } = synth(folder({ f: 'x'.repeat(MAX_CONFIG_MAP_BYTES - 1) }));
    expect(cm.size).toBe(MAX_CONFIG_MAP_BYTES);
  });

  describe('fails if', () => {
    test('the folder does not exist', () => {
      const missing = path.join(root, 'nope');
      expect(() => synth(missing)).toThrow(
        new RegExp(`\\[test/cm\\] ConfigMap source folder does not exist: "${missing}"\\. Allowed: an existing local folder.*Fix: create the folder or fix the path`),
      );
    });

    test('the path is a file', () => {
      expect(() => synth(path.join(folder({ f: 'x' }), 'f'))).toThrow(/ConfigMap source folder does not exist/);
    });

    test('the folder has no (visible) files', () => {
      expect(() => synth(folder({ '.hidden': 'x' }))).toThrow(/ConfigMap source folder has no files/);
    });

    test('a label is not one the API server accepts', () => {
      expect(() => synthChart((c) => new DirectoryConfigMap(c, 'cm', { name: 'skills', namespace: 'apps', directory: dir, labels: { team: 'a b' } })))
        .toThrow(/\[test\/cm\] invalid value of label "team": "a b"\. Allowed: empty, or 1-63 letters/);
    });

    test('a file name cannot be a key', () => {
      expect(() => synth(folder({ 'my notes.md': 'x' }))).toThrow(/\[test\/cm\] file name cannot be a ConfigMap key: "my notes.md"\. Allowed: file and folder names of letters/);
    });

    test('two paths map to one key', () => {
      expect(() => synth(folder({ 'a/b': '1', a__b: '2' }))).toThrow(/two files map to the ConfigMap key "a__b": \["a\/b","a__b"\]/);
    });

    test('a file is a symbolic link (it could reach outside the folder)', () => {
      const d = folder({ 'a.md': 'x' });
      fs.symlinkSync('/etc/hostname', path.join(d, 'link.md'));
      expect(() => synth(d)).toThrow(/symbolic link in a ConfigMap source folder: "link.md"\. Allowed: regular files and folders/);
    });

    test('the folder holds more than 1 MiB', () => {
      expect(() => synth(folder({ f: 'x'.repeat(MAX_CONFIG_MAP_BYTES) }))).toThrow(
        /folder too large for one ConfigMap: ".*: 1048577 bytes"\. Allowed: at most 1048576 bytes \(1 MiB\)/,
      );
    });

    test('binary content counts with its base64 size', () => {
      const bytes = Buffer.alloc(800 * 1024, 0); // 800 KiB of NULs → ~1.07 MB of base64
      expect(() => synth(folder({ 'blob.bin': bytes }))).toThrow(/folder too large for one ConfigMap/);
    });
  });
});
