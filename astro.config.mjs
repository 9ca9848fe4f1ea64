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
  vite: { plugins: [tailwindcss()] },
});
