import type { APIRoute } from 'astro';
import { absoluteUrl } from '../site.config.ts';

export const GET: APIRoute = () =>
  new Response(
    `User-agent: *\nAllow: /\nDisallow: /stats/\n\nSitemap: ${absoluteUrl('/sitemap-index.xml')}\n`,
    {
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    },
  );
