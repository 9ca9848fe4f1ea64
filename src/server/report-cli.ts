// `npm run stats [-- --dagen 7|30|90]`: the report's tables in the terminal, read from the same
// database (REEKS_DB_PATH, or PostgreSQL at REEKS_DATABASE_URL) through the same module as /stats/.
// `npm run stats -- --mail`: the report of the last complete week queued in the outbox for
// REEKS_REPORT_MAIL_TO now, for a test; the running server sends it (within a minute).
// `npm run stats -- --link <author> [--geldig N]`: a read-only link to that author's figures.
import { parseArgs } from 'node:util';
import { formatDutchDate } from '../lib/dates.ts';
import { lastDays, periodDays } from '../lib/period.ts';
import { lastCompleteWeek } from '../lib/report-schedule.ts';
import { site, tracking } from '../site.config.ts';
import { openExistingStore, runCommand } from './command.ts';
import { ConfigError, type ServerConfig } from './config.ts';
import type { Database } from './database.ts';
import { reportText } from '../lib/report-format.ts';
import { readReport } from './report.ts';
import { publishRunsText } from '../lib/publish-status.ts';
import { readPublishRuns } from './publish-status.ts';
import { authorLinkToken, authorLinkUrl, defaultLinkDays, knownAuthors, maxLinkDays } from './report-link.ts';
import { queueReportMail } from './report-mail.ts';
import { loadKeys } from './secrets.ts';

/** Queues the last complete week's report, under a cause of its own for each run. */
async function mailNow(config: ServerConfig, database: Database) {
  if (config.reportMailTo.length === 0)
    throw new ConfigError(
      'npm run stats -- --mail sends to REEKS_REPORT_MAIL_TO, which is not set: set it to one or more addresses, separated by commas.',
    );
  if (!config.smtp)
    throw new ConfigError(
      'npm run stats -- --mail needs SMTP_HOST and SMTP_FROM, as the server that sends it has them.',
    );
  const now = config.testNow ?? new Date();
  const week = lastCompleteWeek(now, site.timeZone);
  const queued = await queueReportMail(
    {
      database,
      config,
      keys: loadKeys(config),
      readReport: (period, options) => readReport(database, period, options),
    },
    { kind: 'test', period: week.period, before: week.before, cause: `report:test:${now.toISOString()}` },
  );
  console.log(
    `The report of ${week.period.from} to ${week.period.to} is queued for ${queued} recipient(s); the running server (npm start) sends it within a minute.`,
  );
}

async function linkFor(config: ServerConfig, database: Database, author: string, geldig: string | undefined) {
  const days = geldig === undefined ? defaultLinkDays : /^\d{1,3}$/.test(geldig) ? Number(geldig) : NaN;
  if (!(days >= 1 && days <= maxLinkDays))
    throw new ConfigError(`--geldig takes the days the link works, 1 to ${maxLinkDays}, not "${geldig}".`);
  const authors = await knownAuthors(database);
  if (!authors.some((known) => known.id === author))
    throw new ConfigError(
      `No author "${author}" in the database: choose one of ${authors.map((known) => known.id).join(', ') || '(none yet: start the site first)'}.`,
    );
  const now = config.testNow ?? new Date();
  const token = authorLinkToken(loadKeys(config), config.reportLinkGeneration, { author, days, now });
  console.log(authorLinkUrl(config.siteUrl, token));
  console.error(
    `Works until ${formatDutchDate(new Date(now.getTime() + days * 86_400_000))}; raise REEKS_REPORT_LINK_GENERATION to revoke every author's link at once.`,
  );
}

await runCommand(async (config) => {
  const { reportPeriods, defaultReportPeriod } = tracking;
  const usage = `Kies een periode van ${reportPeriods.join(', ')} dagen, bijvoorbeeld: npm run stats -- --dagen ${defaultReportPeriod}; of --mail, of --link <auteur> [--geldig ${defaultLinkDays}]`;
  let values;
  try {
    values = parseArgs({
      options: {
        dagen: { type: 'string' },
        mail: { type: 'boolean' },
        link: { type: 'string' },
        geldig: { type: 'string' },
      },
    }).values;
  } catch {
    throw new ConfigError(usage);
  }
  const days = periodDays(values.dagen, reportPeriods, defaultReportPeriod);
  if (days === undefined) throw new ConfigError(usage);
  if (values.geldig !== undefined && values.link === undefined)
    throw new ConfigError('--geldig goes with --link <author>.');

  const database = await openExistingStore(config);
  try {
    if (values.mail) await mailNow(config, database);
    else if (values.link !== undefined) await linkFor(config, database, values.link, values.geldig);
    else {
      console.log(reportText(await readReport(database, lastDays(days, new Date(), site.timeZone))));
      console.log(`\n${publishRunsText(await readPublishRuns(database, 5), new Date(), site.timeZone)}`);
    }
  } finally {
    await database.close();
  }
});
