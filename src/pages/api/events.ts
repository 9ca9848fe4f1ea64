// The collector for the contact tracking script: see src/server/collector.ts.
import type { APIRoute } from 'astro';
import { getServices } from '../../server/services.ts';

export const prerender = false;

export const POST: APIRoute = async ({ request, clientAddress }) => {
  const { collect } = await getServices();
  return collect(request, clientAddress);
};

/** Anything but POST: say which method works instead of showing the 404 page. */
export const ALL: APIRoute = () =>
  new Response(null, { status: 405, headers: { Allow: 'POST', 'Cache-Control': 'no-store' } });
