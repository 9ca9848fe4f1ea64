// Every figure of the report as JSON, behind the same login as /stats/
// (shape: docs/tracking-and-report.md, "The report").
import type { APIRoute } from 'astro';
import { reportJson } from '../../lib/report-format.ts';
import { reportFor, reportHeaders } from '../../server/report-route.ts';

export const prerender = false;

export const GET: APIRoute = async ({ request, url, clientAddress }) => {
  const report = await reportFor(request, url, clientAddress, { sourceRows: true });
  if (report instanceof Response) return report;
  return Response.json(reportJson(report), { headers: reportHeaders });
};
