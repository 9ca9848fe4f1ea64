// The last publishes as JSON for monitoring, behind the same login as /stats/
// (shape: docs/publishing.md, "Publish status").
import type { APIRoute } from 'astro';
import { publishStatusJson } from '../../lib/publish-status.ts';
import { publishRunsFor, reportHeaders } from '../../server/publish-status-route.ts';

export const prerender = false;

export const GET: APIRoute = async ({ request, clientAddress }) => {
  const runs = await publishRunsFor(request, clientAddress);
  if (runs instanceof Response) return runs;
  return Response.json(publishStatusJson(runs, new Date()), { headers: reportHeaders });
};
