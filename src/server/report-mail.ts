// The report by e-mail: when a period of REEKS_REPORT_MAIL is due (src/lib/report-schedule.ts),
// its report is read with the report's own queries (src/server/report.ts) and one mail per address
// of REEKS_REPORT_MAIL_TO is queued in the outbox, with the period's key as the cause. The outbox
// keeps one row per recipient and cause, so the mail goes once per period: however often the
// schedule finds it due, after a restart, or with several processes on one database. It runs with
// the host's background work (src/server/background-work.ts), in one worker at a time.
// `npm run stats -- --mail` queues the last complete week's report now, under a cause of its own.
import type { Period } from '../lib/period.ts';
import type { Report } from '../lib/report-figures.ts';
import { reportMail, type ReportMailInput } from '../lib/report-mail.ts';
import { dueReports, nextDue, type DueReport, type ReportKind } from '../lib/report-schedule.ts';
import { site } from '../site.config.ts';
import type { ServerConfig } from './config.ts';
import type { Database } from './database.ts';
import { addressKey } from './follow-links.ts';
import { errorForLog } from './log-lines.ts';
import { countMessages } from './message-store.ts';
import { queueMail } from './outbox.ts';
import type { ReportOptions } from './report.ts';
import type { Keys } from './secrets.ts';

export interface ReportMailContext {
  database: Database;
  config: Pick<ServerConfig, 'reportMailTo' | 'siteUrl'>;
  keys: Keys;
  /** The report's reader: the server's (off the main thread), or readReport itself. */
  readReport: (period: Period, options?: ReportOptions) => Promise<Report>;
}

export interface ReportToSend {
  kind: ReportKind | 'test';
  period: Period;
  before: Period;
  /** The outbox cause of its mails. */
  cause: string;
}

/** How many recipients already have a row for this cause: the report is not read again for them. */
const queuedFor = async (database: Database, cause: string) =>
  (await database.get<{ count: number }>('SELECT COUNT(*) AS count FROM outbox WHERE cause = ?', [cause]))!
    .count;

/**
 * Queues the report of `send.period` to every address of REEKS_REPORT_MAIL_TO that has none for
 * its cause yet. Returns how many mails were queued now (0: all were queued before).
 */
export async function queueReportMail(context: ReportMailContext, send: ReportToSend): Promise<number> {
  const { database, config, keys } = context;
  const recipients = config.reportMailTo;
  if (recipients.length === 0 || (await queuedFor(database, send.cause)) >= recipients.length) return 0;
  const [report, messagesWaiting] = await Promise.all([
    context.readReport(send.period, { before: send.before }),
    countMessages(database),
  ]);
  const input: ReportMailInput = {
    kind: send.kind,
    report,
    messagesWaiting,
    reportUrl: new URL('/stats/', config.siteUrl).href,
    siteName: site.name,
  };
  const content = reportMail(input);
  return database.transaction(async (tx) => {
    let queued = 0;
    for (const address of recipients) {
      const added = await queueMail(tx, {
        recipient: addressKey(keys, address),
        cause: send.cause,
        kind: 'report',
        content: { ...content, to: address },
      });
      if (added) queued++;
    }
    return queued;
  });
}

const toSend = (due: DueReport): ReportToSend => ({
  kind: due.kind,
  period: due.period,
  before: due.before,
  cause: due.key,
});

export interface ReportSchedule {
  stop(): void;
}

/** The longest the schedule sleeps: a clock that jumped (a suspended machine) is caught within the hour. */
const maxSleepMs = 60 * 60_000;

/**
 * Checks now and whenever a report falls due whether one is due and not yet queued, queues it,
 * and wakes the outbox. Nothing at all without REEKS_REPORT_MAIL.
 */
export function startReportSchedule(
  context: ReportMailContext & { config: Pick<ServerConfig, 'reportMail' | 'testNow'> },
  {
    wake,
    log = console.log,
  }: {
    wake: () => void;
    log?: (line: string) => void;
  },
): ReportSchedule {
  const schedule = context.config.reportMail;
  if (!schedule) return { stop() {} };
  const now = () => context.config.testNow ?? new Date();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** `atStart`: also says which reports were queued before, so the log shows the schedule ran. */
  async function check(atStart = false) {
    for (const due of dueReports(schedule!, now(), site.timeZone)) {
      if (stopped) return;
      const which = `the ${due.kind} report of ${due.period.from} to ${due.period.to}`;
      try {
        const queued = await queueReportMail(context, toSend(due));
        if (queued > 0) {
          log(`Report mail: ${which} queued for ${queued} recipient(s).`);
          wake();
        } else if (atStart) log(`Report mail: ${which} was queued before, not again.`);
      } catch (error) {
        log(`Could not queue ${which} by mail (trying again within the hour): ${errorForLog(error)}`);
      }
    }
  }

  function plan() {
    if (stopped) return;
    const waitMs = Math.min(
      maxSleepMs,
      Math.max(1000, nextDue(schedule!, now(), site.timeZone).getTime() - now().getTime()),
    );
    // Never the reason the process stays alive.
    timer = setTimeout(() => void check().finally(plan), waitMs).unref();
  }

  void check(true).finally(plan);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
