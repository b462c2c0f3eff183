import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeOnlyCore = ['main/core/**', 'main/engine/**', 'main/cli/**', 'main/server/**', 'main/mcp/**', 'preload/contract/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['main/**', 'preload/**', 'test/**', 'scripts/**', '*.js', '*.ts', '*.mjs'], languageOptions: { globals: globals.node } },
  { files: ['main/**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: globals.node }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  {
    // Core logic runs in plain Node (CLI, server, tests): Electron never leaks into it.
    files: nodeOnlyCore,
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Core modules must not import electron; put Electron glue in main/app, main/ipc or main/adapters.' }] }],
    },
  },
  {
    // Docker access goes through a port; only adapters talk to dockerode.
    files: ['main/core/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [
        { name: 'electron', message: 'Core modules must not import electron.' },
        { name: 'dockerode', message: 'Only main/adapters may import dockerode.' },
      ] }],
    },
  },
  {
    // The renderer is sandboxed: no Node, no Electron.
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'electron', 'fs', 'path', 'child_process'], message: 'The renderer has no Node access; go through src/platform.' }] }],
    },
  },
);
