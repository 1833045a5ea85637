import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'src/api/schema.d.ts'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Money is never a JavaScript number: parseFloat/Number on amounts is how floats sneak in.
      'no-restricted-globals': ['error', { name: 'parseFloat', message: 'Money stays a decimal string (src/lib/money.ts).' }],
      'no-restricted-properties': ['error', { object: 'Number', property: 'parseFloat', message: 'Money stays a decimal string (src/lib/money.ts).' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Features talk to each other only through src/components and src/lib (bulletproof-react).
    files: ['src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@/features/*/*', '../../features/*', '../*/*'], message: 'No cross-feature imports: share through src/components or src/lib.' }] }],
    },
  },
);
