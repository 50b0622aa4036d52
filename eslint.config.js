import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // Import boundaries (docs/ownership.md). The domain is pure rules: it imports only the domain and
  // small pure libraries, never the server, the web app, a database, a network or the file system.
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts', 'src/domain/**/*.fixture.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/web/**', '**/cli/**'], message: 'src/domain imports only src/domain and small pure libraries.' },
            {
              group: ['node:*', 'fs', 'fs/*', 'path', 'http', 'https', 'net', 'child_process', 'kysely', 'pg', '@electric-sql/*', 'fastify', 'fastify-*', '@fastify/*', 'ws', 'ioredis', 'react', 'react-*'],
              message: 'src/domain has no I/O and no framework: take the data as arguments.',
            },
          ],
        },
      ],
    },
  },
  // The contract is what server and web share: zod schemas, the live protocol and the board reducer.
  // It imports only the domain and zod, so the web app never pulls server code through it.
  {
    files: ['src/contract/**/*.ts'],
    ignores: ['src/contract/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/web/**', '**/cli/**'], message: 'src/contract imports only src/domain and zod.' },
            {
              group: ['node:*', 'fs', 'fs/*', 'path', 'kysely', 'pg', '@electric-sql/*', 'fastify', 'fastify-*', '@fastify/*', 'ws', 'ioredis', 'react', 'react-*'],
              message: 'src/contract is shapes and pure rules: no I/O and no framework.',
            },
          ],
        },
      ],
    },
  },
  // The web app reaches the server only over HTTP and the socket: it imports the contract and the
  // domain, never anything under src/server or src/cli.
  {
    files: ['src/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/cli/**'], message: 'src/web imports only src/contract and src/domain (and itself).' },
            { group: ['kysely', 'pg', '@electric-sql/*', 'fastify', '@fastify/*', 'ioredis', 'node:*'], message: 'src/web runs in the browser.' },
          ],
        },
      ],
    },
  },
  // Routes are thin: they validate, call a service and answer; SQL stays out of them (docs/decisions/007-sql-location.md).
  {
    files: ['src/server/**/*.routes.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|transaction)$/]",
          message: 'Routes call a service; the service reads and writes the database.',
        },
      ],
    },
  },
);
