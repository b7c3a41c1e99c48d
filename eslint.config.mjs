// ESLint (typescript-eslint): the layer boundaries of docs/architecture and a few correctness rules.
// `npm run lint` runs it over src/, tests/ and scripts/; CI runs it.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

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
    rules: {
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-unreachable': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-require-imports': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
    },
  },
  {
    // Everything outside src/teams: no Bot Framework import.
    files: ['src/**/*.ts'],
    ignores: ['src/teams/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [botbuilder] }] },
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
            { group: ['**/teams/**', '**/teams', '**/storage/**', '**/storage', '**/features/**', '**/features'], message: 'src/core is pure: it imports nothing from teams, storage or features.' },
            { group: ['restify', 'pg', 'better-sqlite3', 'kysely'], message: 'src/core is pure: no HTTP or database code.' },
          ],
        },
      ],
    },
  },
);
