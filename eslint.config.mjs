// ESLint (typescript-eslint): the layer boundaries of docs/architecture.md and a few correctness rules.
// `npm run lint` runs it over src/, tests/ and scripts/; CI runs it. tests/repo/architecture.test.ts checks the same
// boundaries, and circles of type-only imports too (import-x/no-cycle skips those).
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

const botbuilder = {
  group: ['botbuilder', 'botbuilder-*', 'botframework-*'],
  message: 'Only src/teams talks to Bot Framework: keep botbuilder behind that seam.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', 'devTools/**', 'appPackage/build/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-unreachable': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-require-imports': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/no-cycle': 'error',
    },
  },
  {
    // Everything outside src/teams: no Bot Framework import.
    files: ['src/**/*.ts'],
    ignores: ['src/teams/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [botbuilder] }] },
  },
  {
    // The use cases: no Bot Framework, nothing from the Teams layer, no HTTP server.
    files: ['src/features/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            botbuilder,
            {
              group: ['**/teams/**', '**/teams'],
              message:
                'src/features talks to Teams only through Turn and Reply: src/teams imports features, never back.',
            },
            { group: ['restify'], message: 'src/features has no HTTP code.' },
          ],
        },
      ],
    },
  },
  {
    // The pure core knows nothing of Teams, storage, features or HTTP.
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            botbuilder,
            {
              group: ['**/teams/**', '**/teams', '**/storage/**', '**/storage', '**/features/**', '**/features'],
              message: 'src/core is pure: it imports nothing from teams, storage or features.',
            },
            {
              group: ['restify', 'pg', 'better-sqlite3', 'kysely'],
              message: 'src/core is pure: no HTTP or database code.',
            },
          ],
        },
      ],
    },
  },
);
