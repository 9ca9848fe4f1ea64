// The report's figures as CSV, behind the same login as /stats/.
import type { APIRoute } from 'astro';
import { reportCsv } from '../../lib/report-format.ts';
import { reportFor, reportHeaders } from '../../server/report-route.ts';

export const prerender = false;

export const GET: APIRoute = async ({ request, url, clientAddress }) => {
  const report = await reportFor(request, url, clientAddress);
  if (report instanceof Response) return report;
  return new Response(reportCsv(report), {
    headers: {
      ...reportHeaders,
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="statistieken-${report.period.from}-tm-${report.period.to}.csv"`,
    },
  });
};
