// `npm run db:copy -- --to postgres://…`: copies the SQLite database (REEKS_DB_PATH) into an
// empty PostgreSQL database, every table in one transaction, and checks each table's count
// (src/server/db-copy.ts). Run it with the server stopped, so that nothing is written meanwhile;
// then start with REEKS_DATABASE_URL set to the same URL (docs/operating.md#moving-from-sqlite).
import { parseArgs } from 'node:util';
import { openExistingDatabase, openPostgresStore, runCommand } from './command.ts';
import { ConfigError } from './config.ts';
import { copyDatabase, tablesWithRows } from './db-copy.ts';
import { describePostgres } from './postgres.ts';
import { parsePostgresUrl } from './postgres-url.ts';

const usage = 'Use: npm run db:copy -- --to postgres://user:password@host:5432/database';

await runCommand(async (config) => {
  let to: string | undefined;
  try {
    to = parseArgs({ options: { to: { type: 'string' } } }).values.to;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. ${usage}`);
  }
  if (!to) throw new ConfigError(`Name the PostgreSQL database to copy into. ${usage}`);
  try {
    parsePostgresUrl(to);
  } catch (error) {
    throw new ConfigError(`--to ${(error as Error).message}.`);
  }
  const where = describePostgres(to);
  const source = openExistingDatabase(config);
  const target = await openPostgresStore({
    url: to,
    variable: '--to',
    poolSize: 2,
    statementTimeoutMs: 600_000,
  });
  try {
    const full = await tablesWithRows(target);
    if (full.length > 0)
      throw new ConfigError(
        `The database at ${where} is not empty (${full.join(', ')} hold rows): copy only into a new, empty database.`,
      );
    console.log(`Copying ${config.databasePath} into ${where} …`);
    const copied = await copyDatabase(source, target);
    for (const { table, rows } of copied)
      console.log(`  ${table.padEnd(18)} ${rows.toLocaleString('en-US').padStart(12)}`);
    const total = copied.reduce((sum, { rows }) => sum + rows, 0);
    console.log(
      `Copied ${total.toLocaleString('en-US')} rows; every table's count is the same in both. ` +
        `Start the site with REEKS_DATABASE_URL set to this database (and REEKS_SECRET).`,
    );
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`The copy into ${where} did not complete: ${(error as Error).message}`);
  } finally {
    source.close();
    await target.close();
  }
});
