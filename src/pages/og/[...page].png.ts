// Social preview images for every series and post, drawn by the server on the first request and
// then served from the cache (src/server/og-image.ts): a build draws none, so a site of thousands of
// parts builds as fast as its pages, and only pages that are shared ever cost a drawing.
import type { APIRoute } from 'astro';
import { ogImage } from '../../server/og-image.ts';
import { serverContext } from '../../server/route-context.ts';

export const prerender = false;

export const GET: APIRoute = async ({ params }) => {
  const card = (await serverContext()).manifest.ogCards[`/${params.page}/`];
  if (!card)
    return new Response('Not found', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  return new Response(new Uint8Array(await ogImage(card)), {
    headers: { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=86400' },
  });
};
