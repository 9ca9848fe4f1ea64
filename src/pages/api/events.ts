// The collector for the contact tracking script (src/server/collector.ts). `npm start` answers
// this path itself, before Astro, with the same collector; this route serves `npm run dev`.
import type { APIRoute } from 'astro';
import { serverContext } from '../../server/route-context.ts';

export const prerender = false;

export const POST: APIRoute = async ({ request, clientAddress }) => {
  const context = await serverContext();
  return context.collect(request, context.clientOf(request, clientAddress));
};

/** Anything but POST: say which method works instead of showing the 404 page. */
export const ALL: APIRoute = () =>
  new Response(null, { status: 405, headers: { Allow: 'POST', 'Cache-Control': 'no-store' } });
