// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import tailwindcss from '@tailwindcss/vite';
import { contentCheck } from './src/integrations/content-check.ts';
import { editor } from './src/integrations/editor.ts';
import { site } from './src/site.config.ts';

export default defineConfig({
  // Pages are prerendered; the Node adapter serves them and hosts the few server routes.
  site: site.url,
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  trailingSlash: 'always',
  integrations: [
    contentCheck(),
    mdx(),
    editor(),
    // Only built pages are listed, so drafts never are; the report and the 404 page are left out.
    sitemap({ filter: (page) => !/\/(stats|404)\/?$/.test(new URL(page).pathname) }),
  ],
  vite: {
    plugins: [tailwindcss()],
    build: {
      rolldownOptions: {
        // Astro's own MDX output triggers this for every file; it is harmless and drowns real warnings.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
    },
  },
});
