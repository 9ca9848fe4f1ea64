// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import tailwindcss from '@tailwindcss/vite';
import { contentCheck } from './src/integrations/content-check.ts';

export default defineConfig({
  // Pages are prerendered; the Node adapter serves them and hosts the few server routes.
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  trailingSlash: 'always',
  integrations: [contentCheck(), mdx()],
  vite: {
    plugins: [tailwindcss()],
    // The moment of this build, for the posts the server's routes see (src/lib/collections.ts).
    define: { __REEKS_BUILD_TIME__: JSON.stringify(new Date().toISOString()) },
    build: {
      // Scripts always as files, never inlined into the HTML: a Content-Security-Policy can then
      // allow scripts from the site itself without 'unsafe-inline'.
      assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined),
      rolldownOptions: {
        // Astro's own MDX output triggers this for every file; it is harmless and drowns real warnings.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
    },
  },
});
