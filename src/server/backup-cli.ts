// `npm run backup -- <file>`: a consistent copy of the live database, taken with SQLite's online
// backup while the server goes on writing (a file copy of a database in WAL mode can miss or
// tear the last commits). The copy is a complete database of its own, readable by this user
// only. Restoring it: docs/operating.md.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openExistingDatabase, runCommand } from './command.ts';
import { ConfigError } from './config.ts';
import { backupDatabase } from './db.ts';

await runCommand(async (config) => {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new ConfigError('Name the file to write the backup to: npm run backup -- <file>');
  const destination = resolve(positionals[0]!);
  if (destination === config.databasePath) throw new ConfigError('The backup cannot be the database itself: name another file.');
  if (existsSync(destination)) throw new ConfigError(`${destination} exists already: name a new file, so no backup is overwritten.`);

  const db = openExistingDatabase(config);
  try {
    const pages = await backupDatabase(db, destination);
    console.log(`Backup of ${config.databasePath} written to ${destination} (${pages} pages).`);
  } finally {
    db.close();
  }
});
