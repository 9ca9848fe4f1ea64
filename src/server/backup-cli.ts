// `npm run backup -- <file>`: a consistent copy of the live database, taken with SQLite's online
// backup while the server goes on writing (a file copy of a database in WAL mode can miss or
// tear the last commits). The copy is a complete database of its own, readable by this user only.
// `npm run backup -- --restore <file>`, with the server stopped: puts a backup in place of the
// database, keeps the database it replaces beside it, and marks that a database lives there
// (src/server/db-watch.ts). See docs/operating.md.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { openExistingDatabase, runCommand } from './command.ts';
import { ConfigError, type ServerConfig } from './config.ts';
import { backupDatabase, schemaVersion } from './db.ts';
import { recordCreation } from './db-watch.ts';
import { describePostgres } from './postgres.ts';

const usage = 'Use: npm run backup -- <file>, or with the server stopped: npm run backup -- --restore <file>';

async function backUp(config: ServerConfig, destination: string) {
  if (destination === config.databasePath)
    throw new ConfigError('The backup cannot be the database itself: name another file.');
  if (existsSync(destination))
    throw new ConfigError(`${destination} exists already: name a new file, so no backup is overwritten.`);
  const db = openExistingDatabase(config);
  try {
    const pages = await backupDatabase(db, destination);
    console.log(`Backup of ${config.databasePath} written to ${destination} (${pages} pages).`);
  } finally {
    db.close();
  }
}

/** Checks that `file` is a whole database of this site, with a schema this code knows. */
function checkBackup(file: string) {
  if (!existsSync(file)) throw new ConfigError(`No backup at ${file}.`);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file, { readOnly: true });
    const { integrity_check: integrity } = db.prepare('PRAGMA integrity_check').get() as {
      integrity_check: string;
    };
    const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (integrity !== 'ok') throw new Error(`it is damaged (${integrity})`);
    if (version < 1 || version > schemaVersion)
      throw new Error(`it has schema version ${version}, this site knows 1 to ${schemaVersion}`);
  } catch (error) {
    throw new ConfigError(`${file} cannot be restored: ${(error as Error).message}.`);
  } finally {
    db?.close();
  }
}

async function restore(config: ServerConfig, backupFile: string) {
  checkBackup(backupFile);
  const target = config.databasePath;
  let kept = '';
  if (existsSync(target)) {
    // The database and its WAL move together, so nothing it held is lost.
    kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${kept}${suffix}`);
    }
  }
  // A fresh copy through SQLite, so the restored file is consistent and 0600 like any database.
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const source = new DatabaseSync(backupFile, { readOnly: true });
  try {
    await backupDatabase(source, target);
  } finally {
    source.close();
  }
  // From now on a database is known to live here (src/server/db-watch.ts): npm start will not
  // quietly make an empty one if it goes missing.
  recordCreation(target);
  console.log(
    `Restored ${backupFile} to ${target}.${kept ? ` The database it replaced is kept as ${kept}.` : ''}`,
  );
}

await runCommand(async (config) => {
  if (config.postgres)
    throw new ConfigError(
      `The site's database is PostgreSQL (${describePostgres(config.postgres.url)}): back it up with PostgreSQL's own tools, ` +
        `e.g. pg_dump --format=custom --file=reeks.dump "$${config.postgres.variable}", and restore with pg_restore (docs/operating.md#postgresql).`,
    );
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { restore: { type: 'boolean' } } });
  } catch {
    throw new ConfigError(usage);
  }
  if (parsed.positionals.length !== 1) throw new ConfigError(usage);
  const file = resolve(parsed.positionals[0]!);
  await (parsed.values.restore ? restore(config, file) : backUp(config, file));
});
