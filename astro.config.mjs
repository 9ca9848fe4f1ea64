// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import node from '@astrojs/node';
import sitemap from '@astrojs/sitemap';
import tailwindcss from '@tailwindcss/vite';
import { contentCheck } from './src/integrations/content-check.ts';
import { editor } from './src/integrations/editor.ts';
import { editorSettings } from './src/server/editor-settings.ts';
import { previews } from './src/integrations/previews.ts';
import { searchIndex } from './src/integrations/search-index.ts';
import { siteManifest } from './src/integrations/site-manifest.ts';
import { staticHeaders } from './src/integrations/static-headers.ts';
import { buildCacheDir, contentSecurityPolicy, site } from './src/site.config.ts';

export default defineConfig({
  // Pages are prerendered; the Node adapter serves them and hosts the few server routes.
  site: site.url,
  output: 'static',
  // Content-Security-Policy with hashes for every inline script and style, no 'unsafe-inline'.
  // The Node server sends it as a header (staticHeaders); other hosts use dist/client/_headers.
  security: { csp: { directives: [...contentSecurityPolicy] } },
  adapter: node({ mode: 'standalone', staticHeaders: true }),
  trailingSlash: 'always',
  // Several pages at a time: one renders while another is written to disk (a quarter faster).
  build: { concurrency: 4 },
  // Shiki colours code with inline styles, which the Content-Security-Policy forbids; code
  // samples in articles are rare and read fine in plain monospace.
  markdown: { syntaxHighlight: false },
  // A page whose cacheKey (src/lib/page-keys.ts) and code are unchanged keeps its last output
  // instead of being rendered again; `npm run build -- --force` renders every page (docs/builds.md).
  experimental: { incrementalBuild: true },
  cacheDir: buildCacheDir(),
  integrations: [
    contentCheck(),
    mdx(),
    // Previews of drafts and scheduled posts out of the public files, before anything reads them.
    previews(),
    staticHeaders(),
    // The browser editor: always in `npm run dev`; in a build only with its five settings.
    editor(editorSettings(process.env)),
    siteManifest(),
    // Only built pages are listed, so drafts never are; nor are the report, the error pages, and
    // the message form's route and thank-you page (noindex).
    sitemap({
      filter: (page) => !/^\/(stats|404|500|berichten|voorbeeld-bouw)(\/|$)/.test(new URL(page).pathname),
    }),
    // Last: the others finish the build while Pagefind writes the index.
    searchIndex(),
  ],
  vite: {
    plugins: [tailwindcss()],
    // Code loaded on demand (src/client/load-script.ts) is bundled on its own, as an ES module.
    worker: { format: 'es' },
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
