// `npm run docs:api`: the API reference of lib/index.ts, generated from the JSDoc into docs/api/ (not
// committed; .ci/run generates it, and any warning fails it). test/api/doc-comments.test.ts checks that every
// export has a doc comment and every optional prop a @default.
import { OptionDefaults } from 'typedoc';

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  entryPoints: ['lib/index.ts'],
  tsconfig: 'tsconfig.build.json',
  out: 'docs/api',
  name: '@homelab-baseline/lib',
  readme: 'packages/lib/README.md',
  excludePrivate: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  // No links to source lines: they would depend on the clone's git remote, which differs per checkout.
  disableSources: true,
  // `cdk8s import` tags the generated CRD classes with @schema.
  blockTags: [...OptionDefaults.blockTags, '@schema'],
  validation: { notExported: false, invalidLink: true, notDocumented: true },
  requiredToBeDocumented: ['Class', 'Interface', 'Function', 'Variable', 'TypeAlias', 'Enum'],
};
