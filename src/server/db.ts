// The site's SQLite database, through Node's built-in node:sqlite (no native addon). Opening it
// sets WAL mode and brings the schema up to date; every write is committed before the call
// that made it returns. The file holds readers' names and e-mail addresses: it is created
// readable by the server's user only.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';
import { type Database, DatabaseUnavailable, sqliteDatabase, type WriteGuard } from './database.ts';

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
  // The form tokens of the messages stored, so each is accepted once; kept until the token has
  // expired anyway (src/server/message-receiver.ts).
  `CREATE TABLE used_form_tokens (
     token TEXT PRIMARY KEY,
     expires_at TEXT NOT NULL
   ) STRICT, WITHOUT ROWID;`,
  // Where the page view an event happened in came from (src/lib/traffic-source.ts): a cleaned
  // campaign tag, a referrer's host (never its path or query), 'intern' or 'direct'; NULL for
  // events stored before this step. `read_on` is 1 for a view of part n+1 reached from part n.
  `ALTER TABLE events ADD COLUMN source TEXT;
   ALTER TABLE events ADD COLUMN medium TEXT;
   ALTER TABLE events ADD COLUMN campaign TEXT;
   ALTER TABLE events ADD COLUMN read_on INTEGER NOT NULL DEFAULT 0;`,
  // Every source and campaign the events hold, with the day it first came: the collector stores
  // no more than tracking.newSourcesPerDay new ones a day (src/server/event-store.ts).
  `CREATE TABLE tags (
     kind TEXT NOT NULL,
     name TEXT NOT NULL,
     first_day TEXT NOT NULL,
     PRIMARY KEY (kind, name)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX tags_by_first_day ON tags (kind, first_day);
   INSERT INTO tags SELECT 'source', source, MIN(day) FROM events WHERE source IS NOT NULL GROUP BY source;
   INSERT INTO tags SELECT 'campaign', campaign, MIN(day) FROM events WHERE campaign IS NOT NULL GROUP BY campaign;`,
  // Following a series by e-mail (src/server/follow-store.ts, src/server/outbox.ts).
  // followers: one row per confirmed (address, series); `address_key` is a keyed hash of the
  // address (HMAC, src/server/secrets.ts), the same for every form that names it. A row goes at
  // unsubscribe. follow_requests: no address, only its keyed hash and when a confirmation was
  // sent, for the per-address limit; kept until the link has expired. follow_days: counts for the
  // report, without addresses. publications: which release first held which part, and when;
  // `mailed` 0 for the parts of the first release a server served, recorded without mail.
  // outbox: each mail once per (recipient, cause); `recipient` is the address's keyed hash, the
  // address itself is in `followers` (a part's mail) or in `payload` until sent.
  `CREATE TABLE followers (
     id INTEGER PRIMARY KEY,
     address_key TEXT NOT NULL,
     email TEXT NOT NULL,
     series TEXT NOT NULL,
     confirmed_at TEXT NOT NULL,
     source_path TEXT NOT NULL,
     failing_at TEXT,
     UNIQUE (address_key, series)
   ) STRICT;
   CREATE INDEX followers_by_series ON followers (series, confirmed_at);
   CREATE TABLE follow_requests (
     address_key TEXT NOT NULL,
     series TEXT NOT NULL,
     requested_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX follow_requests_by_address ON follow_requests (address_key, requested_at);
   CREATE TABLE follow_days (
     day TEXT NOT NULL,
     series TEXT NOT NULL,
     requested INTEGER NOT NULL DEFAULT 0,
     confirmed INTEGER NOT NULL DEFAULT 0,
     unsubscribed INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (day, series)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE publications (
     series TEXT NOT NULL,
     part INTEGER NOT NULL,
     path TEXT NOT NULL,
     title TEXT NOT NULL,
     description TEXT NOT NULL,
     series_title TEXT NOT NULL,
     of_parts INTEGER NOT NULL,
     release TEXT NOT NULL,
     published_at TEXT NOT NULL,
     mailed INTEGER NOT NULL,
     PRIMARY KEY (series, part)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY,
     recipient TEXT NOT NULL,
     cause TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('confirm', 'part', 'message')),
     priority INTEGER NOT NULL,
     follower_id INTEGER,
     series TEXT,
     part INTEGER,
     payload TEXT,
     state TEXT NOT NULL DEFAULT 'pending'
       CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'in-doubt')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_try_at TEXT NOT NULL,
     created_at TEXT NOT NULL,
     sent_at TEXT,
     UNIQUE (recipient, cause)
   ) STRICT;
   CREATE INDEX outbox_due ON outbox (state, priority, next_try_at);
   CREATE INDEX outbox_by_part ON outbox (series, part, state);
   CREATE INDEX outbox_by_follower ON outbox (follower_id);`,
  // Several processes on one database (docs/operating.md): which process claimed an outbox row
  // and when (`host:pid`, src/server/outbox.ts), so a start counts in doubt only what a stopped
  // process left; and the report's failed logins, counted across processes (report-auth.ts),
  // by client key and time, without a password, with the time the next login's turn comes.
  `ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
   ALTER TABLE outbox ADD COLUMN claimed_at TEXT;
   CREATE TABLE login_failures (
     client TEXT NOT NULL,
     failed_at TEXT NOT NULL
   ) STRICT;
   CREATE INDEX login_failures_by_client ON login_failures (client, failed_at);
   CREATE INDEX login_failures_by_time ON login_failures (failed_at);
   CREATE TABLE login_turn (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     next_turn INTEGER NOT NULL
   ) STRICT;
   INSERT INTO login_turn (id, next_turn) VALUES (1, 0);`,
  // Mail to people of the site rather than readers: the operator's mail about a failed publish
  // ('operator') and marketing's scheduled report ('report'); SQLite cannot change a CHECK, so the
  // outbox is copied into a table with the new one. publish_runs: one row per publish (the push
  // hook, the timer, the command; src/server/publish-runs.ts), for the report's "Publicaties";
  // `requests` counts the pushes folded into it, `release` names the folder it switched to, which
  // `publications.release` names for the parts that went live with it.
  `CREATE TABLE outbox_next (
     id INTEGER PRIMARY KEY,
     recipient TEXT NOT NULL,
     cause TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('confirm', 'part', 'message', 'operator', 'report')),
     priority INTEGER NOT NULL,
     follower_id INTEGER,
     series TEXT,
     part INTEGER,
     payload TEXT,
     state TEXT NOT NULL DEFAULT 'pending'
       CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'in-doubt')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_try_at TEXT NOT NULL,
     created_at TEXT NOT NULL,
     sent_at TEXT,
     claimed_by TEXT,
     claimed_at TEXT,
     UNIQUE (recipient, cause)
   ) STRICT;
   INSERT INTO outbox_next (id, recipient, cause, kind, priority, follower_id, series, part, payload,
       state, attempts, next_try_at, created_at, sent_at, claimed_by, claimed_at)
     SELECT id, recipient, cause, kind, priority, follower_id, series, part, payload,
       state, attempts, next_try_at, created_at, sent_at, claimed_by, claimed_at FROM outbox;
   DROP TABLE outbox;
   ALTER TABLE outbox_next RENAME TO outbox;
   CREATE INDEX outbox_due ON outbox (state, priority, next_try_at);
   CREATE INDEX outbox_by_part ON outbox (series, part, state);
   CREATE INDEX outbox_by_follower ON outbox (follower_id);
   CREATE TABLE publish_runs (
     id INTEGER PRIMARY KEY,
     started_by TEXT NOT NULL CHECK (started_by IN ('hook', 'timer', 'command')),
     requests INTEGER NOT NULL DEFAULT 1,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     result TEXT NOT NULL CHECK (result IN ('running', 'published', 'failed', 'interrupted')),
     commit_sha TEXT,
     commit_subject TEXT,
     release TEXT,
     error_lines TEXT
   ) STRICT;
   CREATE INDEX publish_runs_by_start ON publish_runs (started_at);`,
  // Schema step 9. How far one page view of a part was read (src/lib/reading-depth.ts): the
  // furthest section whose heading reached the screen (0: none), whether the last paragraph did,
  // and the engaged time as a bucket, never the exact time. `view` is the random id the page
  // made for that one view and kept only in its memory, so that a later record of the same view
  // replaces the earlier one; nothing links two views. No time of day, nothing about the reader.
  // `pages.sections`: a part's sections as JSON ([{id, title}]), for the report to name them.
  `CREATE TABLE reading_depth (
     id INTEGER PRIMARY KEY,
     view TEXT NOT NULL UNIQUE,
     day TEXT NOT NULL,
     path TEXT NOT NULL,
     author TEXT NOT NULL,
     series TEXT,
     part INTEGER,
     furthest INTEGER NOT NULL,
     end_reached INTEGER NOT NULL,
     engaged TEXT NOT NULL
       CHECK (engaged IN ('under-10s', '10-30s', '30s-1m', '1-3m', '3-10m', 'over-10m'))
   ) STRICT;
   CREATE INDEX reading_depth_by_day ON reading_depth (day);
   ALTER TABLE pages ADD COLUMN sections TEXT;`,
];

export const schemaVersion = migrations.length;

function userVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

/** Runs `write` in one transaction: committed when this returns, rolled back when it throws. */
export function transaction<T>(db: DatabaseSync, write: () => T): T {
  // IMMEDIATE takes the write lock first, so a read inside `write` sees what it will change.
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = write();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

export { DatabaseUnavailable, type WriteGuard };

const guards = new WeakMap<DatabaseSync, WriteGuard>();
const databases = new WeakMap<DatabaseSync, Database>();

/** Puts every write through `databaseOf(db)` under `guard`; the commands' connections have none. */
export function guardWrites(db: DatabaseSync, guard: WriteGuard): void {
  guards.set(db, guard);
}

/**
 * The one Database (src/server/database.ts) on this connection: every store that writes through
 * it shares its order of turns and the connection's WriteGuard, if any. While another process
 * (`npm run messages -- --verwijder`, a backup, an operator's sqlite3) holds the write lock, a
 * write waits for it asynchronously, so pages and the report keep answering, and fails with
 * SQLite's "database is locked" after `lockTimeoutMs`; the routes answer that with 503.
 */
export function databaseOf(db: DatabaseSync, lockTimeoutMs?: number): Database {
  let database = databases.get(db);
  if (!database) {
    database = sqliteDatabase(db, {
      lockTimeoutMs,
      guard: {
        beforeWrite: () => guards.get(db)?.beforeWrite(),
        afterCommit: () => guards.get(db)?.afterCommit(),
        writeFailed: (error) => guards.get(db)?.writeFailed(error),
      },
    });
    databases.set(db, database);
  }
  return database;
}

/** Applies the steps this database has not had yet, each in its own transaction. */
export function migrate(db: DatabaseSync): void {
  for (;;) {
    // Two processes starting at once cannot both apply the same step: the version is read
    // inside the step's transaction.
    const done = transaction(db, () => {
      const version = userVersion(db);
      if (version > migrations.length) {
        throw new Error(
          `the database has schema version ${version}, newer than this code knows (${migrations.length}). Run the newer version of the site, or point REEKS_DB_PATH at another file.`,
        );
      }
      if (version === migrations.length) return true;
      db.exec(migrations[version]!);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      return false;
    });
    if (done) return;
  }
}

export interface OpenOptions {
  /**
   * Whether a write waits for another process's lock by blocking the thread (SQLite's busy
   * timeout). Right for the commands; the server passes false and waits in its Database (databaseOf).
   */
  blockOnLock?: boolean;
  /**
   * Whether to write once at open, so that a file or folder the user may not write stops the
   * server at start rather than failing the first reader's write (the commands only read).
   */
  checkWritable?: boolean;
}

/**
 * Opens (and creates) the database at `path`. WAL lets `npm run stats` and the report read
 * while the collector writes. synchronous=FULL syncs the WAL to disk at every commit: an event
 * that got its 201 survives a killed process and a power cut alike; group commit
 * (src/server/event-store.ts) shares that sync between the events that arrive together.
 * A new file is created 0600 (SQLite gives its -wal and -shm files the same mode), in a folder
 * created 0700.
 */
export function openDatabase(
  path: string,
  { blockOnLock = true, checkWritable = false }: OpenOptions = {},
): DatabaseSync {
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    } catch (error) {
      throw new Error(`Cannot use the database ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  const db = new DatabaseSync(path);
  try {
    // Opening and migrating may wait for another process: the server takes no requests yet.
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    migrate(db);
    // Rewrites the version it has: a write that changes nothing, but fails on a read-only file.
    if (checkWritable) transaction(db, () => db.exec(`PRAGMA user_version = ${migrations.length}`));
    if (!blockOnLock) db.exec('PRAGMA busy_timeout = 0');
  } catch (error) {
    db.close();
    throw new Error(`Cannot use the database ${path}: ${(error as Error).message}`, { cause: error });
  }
  return db;
}

/**
 * Copies the live database to `destination` with SQLite's online backup: a consistent snapshot
 * of every committed row, WAL included, taken while the server goes on writing.
 */
export async function backupDatabase(db: DatabaseSync, destination: string): Promise<number> {
  const pages = await backup(db, destination);
  chmodSync(destination, 0o600);
  return pages;
}
