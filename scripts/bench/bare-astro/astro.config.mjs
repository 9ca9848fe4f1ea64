// The framework's own cost: Astro 7 + MDX rendering the same corpus, nothing else.
import mdx from '@astrojs/mdx';
import { defineConfig } from 'astro/config';

export default defineConfig({ integrations: [mdx()] });
