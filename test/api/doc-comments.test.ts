import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { tempDir } from '../util';

/**
 * The public API is documented: every symbol lib/index.ts exports has a doc comment, and every optional
 * property of an exported interface or object type (inherited ones included) says its `@default`. Generic
 * over the exports, so a new export is checked without a test edit. `npm run docs:api` generates the API
 * reference from these comments.
 */
const LIB = path.resolve(__dirname, '..', '..', 'lib');

interface ApiProblems {
  readonly exported: string[];
  readonly undocumented: string[];
  readonly withoutDefault: string[];
}

/** The exports of `index` (a module under `root`) and what their documentation lacks. */
function apiProblems(index: string, root: string): ApiProblems {
  const program = ts.createProgram([index], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(index)!)!)
    .map((s) => ({ name: s.getName(), symbol: s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s }));
  const where = (d: ts.Declaration): string => {
    const sf = d.getSourceFile();
    return `${path.relative(path.dirname(root), sf.fileName)}:${sf.getLineAndCharacterOfPosition(d.getStart()).line + 1}`;
  };

  const undocumented = exported
    .filter(({ symbol }) => symbol.getDocumentationComment(checker).length === 0 && !symbol.getJsDocTags(checker).length)
    .map(({ name, symbol }) => `${name} (${symbol.declarations?.[0] ? where(symbol.declarations[0]) : 'no declaration'})`);

  const withoutDefault = new Set<string>();
  for (const { name, symbol } of exported) {
    if (!symbol.declarations?.some((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d))) continue;
    for (const prop of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      for (const d of prop.declarations ?? []) {
        if (!(ts.isPropertySignature(d) || ts.isMethodSignature(d)) || !d.questionToken) continue;
        if (!d.getSourceFile().fileName.startsWith(root + path.sep)) continue; // cdk8s' own props are not ours
        if (!ts.getJSDocTags(d).some((t) => t.tagName.text === 'default')) withoutDefault.add(`${name}.${prop.getName()} (${where(d)})`);
      }
    }
  }
  return { exported: exported.map((e) => e.name), undocumented, withoutDefault: [...withoutDefault].sort() };
}

describe('the public API of lib/index.ts', () => {
  const api = apiProblems(path.join(LIB, 'index.ts'), LIB);

  test('is read from the real module', () => {
    expect(api.exported).toEqual(expect.arrayContaining(['HardenedNamespace', 'HardenedNamespaceProps', 'Port', 'buildServices']));
  });

  test('every exported symbol has a doc comment', () => {
    expect(api.undocumented).toEqual([]);
  });

  test('every optional prop of an exported interface or type says its @default', () => {
    expect(api.withoutDefault).toEqual([]);
  });

  test('canary: the check finds an undocumented export and a missing @default, also an inherited one', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'props.ts'), [
      '/** Base. */',
      'interface Base { readonly inherited?: number }',
      '/** Documented. */',
      'export interface Props extends Base {',
      '  /** @default 1 */',
      '  readonly ok?: number;',
      '  /** No default. */',
      '  readonly bad?: string;',
      '  readonly required: string;',
      '}',
      'export function bare(): void {}',
      '/** Documented. */',
      'export const FINE = 1;',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'index.ts'), "export { Props, bare, FINE } from './props';\n");
    const found = apiProblems(path.join(dir, 'index.ts'), dir);
    const base = path.basename(dir);
    expect(found.undocumented).toEqual([`bare (${base}/props.ts:11)`]);
    expect(found.withoutDefault).toEqual([`Props.bad (${base}/props.ts:8)`, `Props.inherited (${base}/props.ts:2)`]);
  });
});
