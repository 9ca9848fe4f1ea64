// How `npm start` keeps an eye on its database (docs/operating.md, "The database watched"):
// - at start, a database is made only where none has ever been: a marker beside it remembers
//   that one was, so a lost file stops the server instead of being quietly replaced by an empty one;
// - `PRAGMA quick_check` runs in a worker thread while pages are served; writes wait for it;
// - every write the server acknowledges has committed to the file it opened, still at its path;
// - /healthz and /healthz/db say whether the process serves and whether the database takes writes.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { Database } from './database.ts';
import { DatabaseUnavailable, guardWrites } from './db.ts';

export const restoreCommand = 'npm run backup -- --restore <file>';

/** The file beside the database that says one was made there. */
export const creationMarker = (dbPath: string) => `${dbPath}.created`;

/**
 * The line to stop with when the marker says a database was made at `dbPath` and there is none
 * (or an empty file, which SQLite would take for a new database); undefined otherwise.
 */
export function lostDatabase(dbPath: string): string | undefined {
  const marker = creationMarker(dbPath);
  if (dbPath === ':memory:' || !existsSync(marker)) return undefined;
  if (statSync(dbPath, { throwIfNoEntry: false })?.size) return undefined;
  return (
    `No database at ${dbPath}, but ${basename(marker)} beside it says one was made there: it was deleted or moved. ` +
    `Put the last backup in its place with \`${restoreCommand}\`, or delete ${marker} to start with an empty database.`
  );
}

/** Writes the marker once a database exists at `dbPath` (made now, restored, or older than markers). */
export function recordCreation(dbPath: string): void {
  const marker = creationMarker(dbPath);
  if (dbPath === ':memory:' || existsSync(marker)) return;
  writeFileSync(
    marker,
    `A database was made at ${basename(dbPath)} on ${new Date().toISOString()}. While this file is here, ` +
      `npm start will not make a new, empty one in its place: if it is missing, put the last backup back ` +
      `(${restoreCommand}), or delete this file to start afresh.\n`,
    { mode: 0o600, flag: 'wx' },
  );
}

export const damagedLine = (dbPath: string, problem: string) =>
  `The database ${dbPath} is damaged (${oneLine(problem)}): put the last backup in its place with \`${restoreCommand}\`, then start again.`;

const oneLine = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
};

const sqliteReadonly = 8;
const sqliteCorrupt = 11;
const sqliteNotADatabase = 26;

/**
 * The one line for an error opening the database that the operator must act on: a damaged file,
 * or a file or folder this user may not write. Undefined for anything else.
 */
export function databaseProblem(dbPath: string, error: unknown): string | undefined {
  const cause = ((error as { cause?: unknown }).cause ?? error) as {
    errcode?: number;
    code?: string;
    message?: string;
  };
  const detail = cause.message ?? String(cause);
  const primary = typeof cause.errcode === 'number' ? cause.errcode & 0xff : undefined;
  if (primary === sqliteCorrupt || primary === sqliteNotADatabase) return damagedLine(dbPath, detail);
  if (primary === sqliteReadonly || ['EACCES', 'EPERM', 'EROFS'].includes(cause.code ?? '')) {
    return (
      `The database ${dbPath} cannot be written by this user (${oneLine(detail)}): give the server's user write access to it ` +
      `and to its folder (SQLite keeps ${basename(dbPath)}-wal and -shm beside it), or set REEKS_DB_PATH to a file it may write.`
    );
  }
  return undefined;
}

/**
 * `PRAGMA quick_check` in a worker thread, on a read-only connection of its own: resolves with
 * undefined when the file is whole, or with what is wrong.
 */
export function quickCheckInWorker(dbPath: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./quick-check-worker.ts', import.meta.url), { workerData: dbPath });
    // The first of these settles the promise; the others come after and change nothing.
    worker.once('message', (problem: string | null) => resolve(problem ?? undefined));
    worker.once('error', (error) => resolve(error.message));
    worker.once('exit', (code) => resolve(`the check stopped with exit code ${code}`));
  });
}

export interface DatabaseWatch {
  /** Resolves once the quick check has passed; rejects with the line to stop the server with. */
  readonly checked: Promise<void>;
  /** For /healthz/db: the check has passed, the file is still the one opened, the last write worked. */
  takesWrites(): boolean;
}

export interface WatchOptions {
  quickCheck?: (dbPath: string) => Promise<string | undefined>;
  /** Where the one loud line goes when the file is lost. */
  log?: (line: string) => void;
}

/**
 * Watches the server's connection `db` to the file at `dbPath`, opened just now: from here on
 * every write through databaseOf(db) (src/server/db.ts) waits for the quick check, and after its commit
 * proves that the database, its -wal and its -shm are still the files opened (same device and
 * inode at the same paths), before the caller acknowledges anything.
 */
export function watchDatabase(
  db: DatabaseSync,
  dbPath: string,
  { quickCheck = quickCheckInWorker, log = console.error }: WatchOptions = {},
): DatabaseWatch {
  // Compared by path rather than through a descriptor of our own: closing one would drop the
  // POSIX locks SQLite holds on the file. SQLite keeps all three open, so their inodes cannot be
  // reused while the server runs.
  const opened = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`].flatMap((file) => {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats ? [{ file, dev: stats.dev, ino: stats.ino }] : [];
  });
  let state: 'checking' | 'writable' | 'damaged' | 'lost' = 'checking';
  let lastWriteFailed = false;

  const stillOpened = () => {
    if (state === 'lost') return false;
    for (const { file, dev, ino } of opened) {
      const now = statSync(file, { throwIfNoEntry: false });
      if (now && now.dev === dev && now.ino === ino) continue;
      state = 'lost';
      log(
        `DATABASE LOST: ${file} was ${now ? 'replaced' : 'deleted'} while the server was running; ` +
          `from now on every write answers 503 and nothing is stored. ` +
          `${now ? 'If a backup was restored, restart' : `Put the last backup back with \`${restoreCommand}\`, then restart`} the server.`,
      );
      return false;
    }
    return true;
  };

  guardWrites(db, {
    beforeWrite() {
      if (state !== 'writable') throw new DatabaseUnavailable(`the database takes no writes (${state})`);
    },
    afterCommit() {
      if (!stillOpened()) throw new DatabaseUnavailable('the database was lost while serving');
      lastWriteFailed = false;
    },
    writeFailed() {
      lastWriteFailed = true;
    },
  });

  const checked = quickCheck(dbPath).then((problem) => {
    if (problem !== undefined) {
      state = 'damaged';
      throw new Error(damagedLine(dbPath, problem));
    }
    if (state === 'checking') state = 'writable';
  });
  // The caller decides what a failed check does; an unhandled rejection is not it.
  checked.catch(() => {});

  return { checked, takesWrites: () => state === 'writable' && !lastWriteFailed && stillOpened() };
}

const healthPaths = new Set(['/healthz', '/healthz/db']);

export const isHealthPath = (path: string) => healthPaths.has(path);

/**
 * /healthz: 200 while the process serves. /healthz/db: 200 while the database takes writes, 503
 * otherwise. Nothing else is said: no state, no path, no error.
 */
export function answerHealth(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  watch: DatabaseWatch,
): void {
  const text = { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...text, Allow: 'GET, HEAD' }).end('Method Not Allowed\n');
    return;
  }
  const up = path === '/healthz' || watch.takesWrites();
  response.writeHead(up ? 200 : 503, text).end(up ? 'ok\n' : 'unavailable\n');
}

/**
 * The watch of a PostgreSQL database: nothing to check at start (the server keeps its own files
 * whole); /healthz/db says whether the last of its pings, every `everyMs`, was answered.
 */
export function watchPostgres(database: Database, everyMs = 5000): DatabaseWatch {
  let answered = true;
  const ping = () =>
    database.get('SELECT 1 AS up').then(
      () => (answered = true),
      () => (answered = false),
    );
  // Never the reason the process stays alive.
  setInterval(ping, everyMs).unref();
  return { checked: Promise.resolve(), takesWrites: () => answered };
}
