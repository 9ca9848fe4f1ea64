// The site's SQLite database, through Node's built-in node:sqlite (no native addon). Opening it
// sets WAL mode and brings the schema up to date; every write is committed before the call
// that made it returns.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { tracking } from '../site.config.ts';

/** `REEKS_DB_PATH`, or data/site.db, from the working directory. */
export function databasePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.REEKS_DB_PATH || tracking.databasePath);
}

/**
 * The schema, one step per entry, applied in order; `PRAGMA user_version` counts the steps a
 * database has had. Never change a step that has shipped: add one.
 */
const migrations: readonly string[] = [
  // Events hold no time of day and nothing about the reader: no IP address, no user agent, no
  // identifier. `day` is the calendar day in the site's time zone.
  `CREATE TABLE events (
     id INTEGER PRIMARY KEY,
     day TEXT NOT NULL,
     type TEXT NOT NULL,
     path TEXT NOT NULL,
     author TEXT NOT NULL,
     series TEXT,
     part INTEGER,
     channel TEXT
   ) STRICT;
   CREATE INDEX events_by_day ON events (day);
   -- The pages with a contact block as the server last knew them, so the report (and
   -- npm run stats) can name a page, also after it has left the site.
   CREATE TABLE pages (
     path TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     title TEXT NOT NULL,
     author TEXT NOT NULL,
     series TEXT,
     series_title TEXT,
     part INTEGER,
     on_site INTEGER NOT NULL
   ) STRICT;`,
  // Messages readers leave for an author under a part: what they typed, where and when. No IP
  // address, no user agent. `created_at` is an ISO 8601 UTC timestamp, so text order is time
  // order; messages older than the retention period are deleted (src/server/message-store.ts).
  `CREATE TABLE messages (
     id INTEGER PRIMARY KEY,
     created_at TEXT NOT NULL,
     path TEXT NOT NULL,
     author TEXT NOT NULL,
     series TEXT,
     part INTEGER,
     name TEXT NOT NULL,
     email TEXT NOT NULL,
     question TEXT NOT NULL
   ) STRICT;
   CREATE INDEX messages_by_time ON messages (created_at);`,
];

export const schemaVersion = migrations.length;

function userVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

/** Applies the steps this database has not had yet, each in its own transaction. */
export function migrate(db: DatabaseSync): void {
  for (;;) {
    // IMMEDIATE takes the write lock first, so two processes starting at once cannot both
    // apply the same step.
    db.exec('BEGIN IMMEDIATE');
    try {
      const version = userVersion(db);
      if (version > migrations.length) {
        throw new Error(
          `the database has schema version ${version}, newer than this code knows (${migrations.length}). Run the newer version of the site, or point REEKS_DB_PATH at another file.`,
        );
      }
      if (version === migrations.length) {
        db.exec('COMMIT');
        return;
      }
      db.exec(migrations[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

/**
 * Opens (and creates) the database at `path`. WAL lets `npm run stats` and the report read
 * while the collector writes. synchronous=FULL syncs the WAL to disk at every commit: an event
 * that got its 201 survives a killed process and a power cut alike. That costs an fsync per
 * event, which is far below the number of events this site sees (`npm run bench`).
 */
export function openDatabase(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    migrate(db);
  } catch (error) {
    db.close();
    throw new Error(`Cannot use the database ${path}: ${(error as Error).message}`, { cause: error });
  }
  return db;
}

/** For the command-line reports: the database `npm start` writes, or a clear stop when there is none. */
export function openExistingDatabase(): DatabaseSync {
  const path = databasePath();
  if (!existsSync(path)) {
    console.error(`Geen database op ${path}. Start de site (npm start) of zet REEKS_DB_PATH.`);
    process.exit(1);
  }
  return openDatabase(path);
}
