// What the report's routes (/stats/ and its CSV export) need, in one call: the login, the period
// from ?dagen=, the figures and, for the page, one page of the readers' messages.
import { lastDays, periodDays } from '../lib/period.ts';
import { messageForm, site, tracking } from '../site.config.ts';
import type { StoredMessage } from '../lib/message-form.ts';
import type { Report } from '../lib/report-figures.ts';
import { countMessages, readMessages } from './message-store.ts';
import type { ReportOptions } from './report.ts';
import { reportHeaders } from './report-auth.ts';
import { serverContext } from './route-context.ts';

export { reportHeaders };

/** The report for this request, or the answer when there is none to give (404, 401, 429, 400). */
export async function reportFor(
  request: Request,
  url: URL,
  socketAddress: string | undefined,
  options: ReportOptions = {},
): Promise<Report | Response> {
  const context = await serverContext();
  const refused = await context.refuseReport(request, context.clientOf(request, socketAddress));
  if (refused) return refused;
  const { reportPeriods, defaultReportPeriod } = tracking;
  const days = periodDays(url.searchParams.get('dagen'), reportPeriods, defaultReportPeriod);
  if (days === undefined) {
    return new Response(
      `Kies een periode van ${reportPeriods.join(', ')} dagen, bijvoorbeeld /stats/?dagen=${defaultReportPeriod}.\n`,
      { status: 400, headers: { ...reportHeaders, 'Content-Type': 'text/plain; charset=utf-8' } },
    );
  }
  return context.readReport(lastDays(days, new Date(), site.timeZone), options);
}

export interface MessagePage {
  messages: StoredMessage[];
  /** 1 for the newest. */
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
  retentionDays: number;
}

/**
 * The stored messages, whatever the report's period (the report is the authors' inbox when no
 * mail is sent), newest first, a page at a time: `?berichten=2` is the second page.
 */
export async function messagePageFor(url: URL): Promise<MessagePage> {
  const { database, config } = await serverContext();
  const total = await countMessages(database);
  const pageSize = messageForm.reportPageSize;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const asked = Number(url.searchParams.get('berichten'));
  const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, pageCount) : 1;
  const messages = await readMessages(database, { limit: pageSize, offset: (page - 1) * pageSize });
  return { messages, page, pageCount, total, pageSize, retentionDays: config.messageRetentionDays };
}
