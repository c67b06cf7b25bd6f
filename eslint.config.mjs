// ESLint (flat config): typescript-eslint's recommended rules, without type information so the whole
// repository lints in seconds. Formatting is not ESLint's job: .editorconfig describes the one style.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeGlobals = Object.fromEntries(
  ['require', 'module', 'exports', 'process', '__dirname', '__filename', 'console', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].map((g) => [g, 'readonly']),
);

export default tseslint.config(
  {
    ignores: [
      'node_modules/', 'build/', 'dist/', 'imports/', 'coverage/', 'reports/', 'docs/api/',
      'packages/lib/out/', 'packages/lib/.stage/', 'examples/*/node_modules/', 'examples/*/build/', 'examples/*/dist/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The library reads synthesized manifests (plain JSON of any kind) and tests read parsed YAML: those
      // reads are `any` on purpose, and tsc's strict mode checks everything typed.
      '@typescript-eslint/no-explicit-any': 'off',
      // `const { dropped: _, ...rest } = o` is how a key is removed.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // The package scripts are CommonJS run by node directly (no transpile step before they run).
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
