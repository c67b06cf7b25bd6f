import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** Every `README "Section"` a message or comment cites, in the sources. */
function citations(): { file: string; section: string }[] {
  const out: { file: string; section: string }[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js|sh)$/.test(e.name)) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/README "([^"]+)"/g)) out.push({ file: path.relative(ROOT, p), section: m[1] });
      }
    }
  };
  for (const d of ['lib', 'homelab', 'scripts', 'test']) walk(path.join(ROOT, d));
  return out;
}

test('every README section a message cites exists (a heading of README.md)', () => {
  const headings = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').filter((l) => /^#{2,4} /.test(l)).map((l) => l.replace(/^#+ /, ''));
  const found = citations();
  expect(found.length).toBeGreaterThan(0);
  expect(found.filter((c) => !headings.includes(c.section) && !c.file.endsWith('readme-references.test.ts'))).toEqual([]);
});
