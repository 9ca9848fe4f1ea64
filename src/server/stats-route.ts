// What /stats/ and its CSV export share: the login, the period from ?dagen=, and the figures.
import { lastDays, periodDays } from '../lib/period.ts';
import { site, tracking } from '../site.config.ts';
import { readReport, type Report } from './report.ts';
import { serverContext } from './route-context.ts';
import { reportHeaders } from './stats-auth.ts';

/** The report for this request, or the answer when there is none to give (404, 401, 429, 400). */
export async function reportFor(request: Request, url: URL, socketAddress: string | undefined): Promise<Report | Response> {
  const context = await serverContext();
  const refused = context.refuseReport(request, context.clientOf(request, socketAddress));
  if (refused) return refused;
  const { reportPeriods, defaultReportPeriod } = tracking;
  const days = periodDays(url.searchParams.get('dagen'), reportPeriods, defaultReportPeriod);
  if (days === undefined) {
    return new Response(
      `Kies een periode van ${reportPeriods.join(', ')} dagen, bijvoorbeeld /stats/?dagen=${defaultReportPeriod}.\n`,
      { status: 400, headers: { ...reportHeaders, 'Content-Type': 'text/plain; charset=utf-8' } },
    );
  }
  return readReport(context.db, lastDays(days, new Date(), site.timeZone));
}
