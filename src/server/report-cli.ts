// `npm run stats [-- --dagen 7|30|90]`: the report's tables in the terminal, read from the same
// database (REEKS_DB_PATH, or PostgreSQL at REEKS_DATABASE_URL) through the same module as /stats/.
import { parseArgs } from 'node:util';
import { lastDays, periodDays } from '../lib/period.ts';
import { site, tracking } from '../site.config.ts';
import { openExistingStore, runCommand } from './command.ts';
import { ConfigError } from './config.ts';
import { reportText } from '../lib/report-format.ts';
import { readReport } from './report.ts';
import { publishRunsText } from '../lib/publish-status.ts';
import { readPublishRuns } from './publish-status.ts';

await runCommand(async (config) => {
  const { reportPeriods, defaultReportPeriod } = tracking;
  const usage = `Kies een periode van ${reportPeriods.join(', ')} dagen, bijvoorbeeld: npm run stats -- --dagen ${defaultReportPeriod}`;
  let dagen;
  try {
    dagen = parseArgs({ options: { dagen: { type: 'string' } } }).values.dagen;
  } catch {
    throw new ConfigError(usage);
  }
  const days = periodDays(dagen, reportPeriods, defaultReportPeriod);
  if (days === undefined) throw new ConfigError(usage);

  const database = await openExistingStore(config);
  try {
    console.log(reportText(await readReport(database, lastDays(days, new Date(), site.timeZone))));
    console.log(`\n${publishRunsText(await readPublishRuns(database, 5), new Date(), site.timeZone)}`);
  } finally {
    await database.close();
  }
});
