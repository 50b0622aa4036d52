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
  // The web app reaches the server only over HTTP and the socket: it may import shared schemas and
  // pure modules from src/server, never a service, queries, routes or the database.
  {
    files: ['src/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**/*.service*', '**/server/**/*.queries*', '**/server/**/*.routes*', '**/server/db/**', '**/server/app*', '**/server/context*'],
              message: 'src/web may import schemas (*.schema.ts, live/protocol.ts) and domain rules, never server code or the database.',
            },
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
