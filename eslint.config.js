// Lint: type-aware typescript-eslint, plus the house's dependency rules as import boundaries.
import tseslint from 'typescript-eslint';

const noHttpInDomain = {
  patterns: [
    { group: ['fastify', '@fastify/*', 'fastify-*'], message: 'Domain code (services, stores, policies) never imports HTTP code: take deps and an Actor, throw AppError.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'bench/results/', 'eslint.config.js', 'bench/lib/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Fastify handlers and plugins are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration in src/config.ts only.' }],
    },
  },
  {
    files: ['src/modules/**/*.service.ts', 'src/modules/**/*.store.ts', 'src/modules/**/policy.ts', 'src/modules/**/import/*.ts', 'src/shared/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', noHttpInDomain] },
  },
  {
    files: ['src/platform/**', 'src/front-door/**', 'src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/modules/**'], message: 'platform/, front-door/ and shared/ never import modules/.' }] }],
    },
  },
  {
    files: ['src/config.ts', 'src/test/**', '**/*.test.ts', '**/*.test-support.ts', 'scripts/**', 'bench/**', 'e2e/**', '*.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.test.ts', 'src/test/**', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
