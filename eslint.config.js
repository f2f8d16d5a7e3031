import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'web/dist', '.data', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Capabilities use each other only through their public index.ts (DESIGN.md); the folders
    // inside platform/ are one capability and may use each other directly. A capability's
    // schema.ts and codes.ts are public too: its Node-free part, which the web app also reads.
    files: ['src/**/*.ts'],
    ignores: ['src/platform/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // samples.ts: a capability's sample data for tests and benchmarks of others
              // (from src/ itself, ../test/ is the test support beside it, not a capability)
              regex: '^\\.\\./(?!platform/|test/)[a-z-]+/(?!index$|schema$|codes$|samples$)',
              message: 'Import another capability only through its index.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read replies of many shapes; typing each one would add noise, not safety.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
