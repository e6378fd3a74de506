import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The two files allowed to touch Electron's IPC objects. Everything else goes through the contract.
const IPC_WRAPPERS = ['src-main/electron/ipc.ts', 'src-main/electron/preload.ts'];

const ipcRestriction = {
  paths: [
    {
      name: 'electron',
      importNames: ['ipcMain', 'ipcRenderer'],
      message: 'Only src-main/electron/ipc.ts and preload.ts touch IPC; use the desktop contract.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', ipcRestriction],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name=/^(ipcMain|ipcRenderer)$/]", message: 'Only the two IPC wrapper files touch IPC.' },
      ],
    },
  },
  {
    files: IPC_WRAPPERS,
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // src-shared runs anywhere: main, renderer, server, tests. No Electron, no Node built-ins, no DOM.
    files: ['src-shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'src-shared may not import Electron.' },
            { group: ['node:*'], message: 'src-shared may not import Node built-ins.' },
            {
              group: ['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'stream', 'url', 'util', 'events', 'buffer', 'worker_threads'],
              message: 'src-shared may not import Node built-ins.',
            },
            { group: ['react', 'react-dom', 'react-dom/*'], message: 'src-shared may not import the DOM or React.' },
            { group: ['../src-*', '../../src-*', '../../../src-*'], message: 'src-shared may not import from the other parts.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'process', 'Buffer', 'require', '__dirname'].map((name) => ({
          name,
          message: `src-shared runs anywhere, so it may not use ${name}.`,
        })),
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.strict.rules,
      'no-restricted-imports': [
        'error',
        {
          ...ipcRestriction,
          patterns: [{ group: ['electron', 'node:*'], message: 'The renderer reaches the main process only through api.ts.' }],
        },
      ],
    },
  },
);
