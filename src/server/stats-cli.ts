// `npm run stats [-- --dagen 7|30|90]`: the report's tables in the terminal, read from the same
// database (REEKS_DB_PATH) through the same module as /stats/.
import { parseArgs } from 'node:util';
import { lastDays, periodDays } from '../lib/period.ts';
import { site, tracking } from '../site.config.ts';
import { openExistingDatabase } from './db.ts';
import { reportText } from './report-format.ts';
import { readReport } from './report.ts';

const { values } = parseArgs({ options: { dagen: { type: 'string' } } });
const { reportPeriods, defaultReportPeriod } = tracking;
const days = periodDays(values.dagen, reportPeriods, defaultReportPeriod);
if (days === undefined) {
  console.error(`Kies een periode van ${reportPeriods.join(', ')} dagen, bijvoorbeeld: npm run stats -- --dagen ${defaultReportPeriod}`);
  process.exit(2);
}

const db = openExistingDatabase();
try {
  console.log(reportText(readReport(db, lastDays(days, new Date(), site.timeZone))));
} finally {
  db.close();
}
