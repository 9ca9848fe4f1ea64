// ESLint for TypeScript and Astro files; Prettier (npm run lint runs both) keeps the layout.
import js from '@eslint/js';
import astro from 'eslint-plugin-astro';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-test/',
      'releases/',
      '.astro/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // Removing control characters from readers' input and from request targets is deliberate.
      'no-control-regex': 'off',
      // `_`-prefixed names are placeholders a signature needs.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Injected as a route by src/integrations/editor.ts, so it is a page though it lives elsewhere.
    files: ['src/editor/keystatic-page.astro'],
    rules: { 'astro/no-prerender-export-outside-pages': 'off' },
  },
);
