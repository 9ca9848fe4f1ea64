import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailable, databaseOf, openDatabase } from './db.ts';
import {
  creationMarker,
  damagedLine,
  databaseProblem,
  lostDatabase,
  quickCheckInWorker,
  recordCreation,
  watchDatabase,
} from './db-watch.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempPath() {
  const dir = mkdtempSync(join(tmpdir(), 'reeks-db-watch-'));
  dirs.push(dir);
  return join(dir, 'site.db');
}

const insertView = (db: DatabaseSync) =>
  db
    .prepare("INSERT INTO events (day, type, path, author) VALUES ('2024-05-01', 'pageview', '/a/', 'job')")
    .run();
const countEvents = (db: DatabaseSync) =>
  (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

/** A quick check that passes or fails when the test says so. */
function controlledCheck() {
  let settle: (problem: string | undefined) => void = () => {};
  const result = new Promise<string | undefined>((resolve) => (settle = resolve));
  return { quickCheck: () => result, settle };
}

function watched(path = tempPath()) {
  const db = openDatabase(path, { blockOnLock: false });
  const check = controlledCheck();
  const logged: string[] = [];
  const watch = watchDatabase(db, path, { quickCheck: check.quickCheck, log: (line) => logged.push(line) });
  return { db, path, watch, logged, settle: check.settle };
}

describe('the write gate', () => {
  it('refuses writes while the quick check runs, and takes them once it has passed', async () => {
    const { db, watch, settle } = watched();
    await expect(databaseOf(db).transaction(async () => insertView(db))).rejects.toBeInstanceOf(
      DatabaseUnavailable,
    );
    expect(watch.takesWrites()).toBe(false);
    settle(undefined);
    await watch.checked;
    await databaseOf(db).transaction(async () => insertView(db));
    expect(countEvents(db)).toBe(1);
    expect(watch.takesWrites()).toBe(true);
    db.close();
  });

  it('stays shut when the check finds damage, and says what to run', async () => {
    const { db, path, watch, settle } = watched();
    settle('*** in database main *** Page 7: btreeInitPage() returns error code 11');
    await expect(watch.checked).rejects.toThrow(
      `The database ${path} is damaged (*** in database main *** Page 7: btreeInitPage() returns error code 11): put the last backup in its place with \`npm run backup -- --restore <file>\`, then start again.`,
    );
    await expect(databaseOf(db).transaction(async () => insertView(db))).rejects.toBeInstanceOf(
      DatabaseUnavailable,
    );
    expect(countEvents(db)).toBe(0);
    expect(watch.takesWrites()).toBe(false);
    db.close();
  });

  it('refuses to acknowledge a write once the file was deleted, and says so once', async () => {
    const { db, path, watch, logged, settle } = watched();
    settle(undefined);
    await watch.checked;
    await databaseOf(db).transaction(async () => insertView(db));
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`);
    await expect(databaseOf(db).transaction(async () => insertView(db))).rejects.toBeInstanceOf(
      DatabaseUnavailable,
    );
    await expect(databaseOf(db).transaction(async () => insertView(db))).rejects.toBeInstanceOf(
      DatabaseUnavailable,
    );
    expect(watch.takesWrites()).toBe(false);
    expect(logged).toEqual([
      `DATABASE LOST: ${path} was deleted while the server was running; from now on every write answers 503 and nothing is stored. Put the last backup back with \`npm run backup -- --restore <file>\`, then restart the server.`,
    ]);
    db.close();
  });

  it('notices a file put in its place, and its WAL deleted on its own', async () => {
    const replaced = watched();
    replaced.settle(undefined);
    await replaced.watch.checked;
    const other = tempPath();
    openDatabase(other).close();
    renameSync(other, replaced.path);
    expect(replaced.watch.takesWrites()).toBe(false);
    expect(replaced.logged).toHaveLength(1);
    expect(replaced.logged[0]).toMatch(
      /^DATABASE LOST: .*site\.db was replaced .*If a backup was restored, restart the server\.$/,
    );
    replaced.db.close();

    const walGone = watched();
    walGone.settle(undefined);
    await walGone.watch.checked;
    rmSync(`${walGone.path}-wal`);
    await expect(
      databaseOf(walGone.db).transaction(async () => insertView(walGone.db)),
    ).rejects.toBeInstanceOf(DatabaseUnavailable);
    expect(walGone.logged[0]).toContain(`${walGone.path}-wal was deleted`);
    walGone.db.close();
  });

  it('reports a failing write to /healthz/db until a write works again', async () => {
    const { db, watch, settle } = watched();
    settle(undefined);
    await watch.checked;
    await expect(
      databaseOf(db).transaction(async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(watch.takesWrites()).toBe(false);
    await databaseOf(db).transaction(async () => insertView(db));
    expect(watch.takesWrites()).toBe(true);
    db.close();
  });
});

describe('quickCheckInWorker', () => {
  it('passes a whole file and names what is wrong with one damaged in its middle', async () => {
    const path = tempPath();
    const db = openDatabase(path);
    const insert = db.prepare(
      "INSERT INTO events (day, type, path, author) VALUES ('2024-05-01', 'pageview', ?, 'job-coenen')",
    );
    db.exec('BEGIN');
    for (let i = 0; i < 5000; i++) insert.run(`/een/pad/naar/deel-${i}/`);
    db.exec('COMMIT');
    db.close();
    expect(await quickCheckInWorker(path)).toBeUndefined();

    const { size } = statSync(path);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(32 * 1024, 0xa5), 0, 32 * 1024, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    expect(await quickCheckInWorker(path)).toMatch(/\S/);
  });
});

describe('the creation marker', () => {
  it('is written once, 0600, and says a database is missing only when there was one', () => {
    const path = tempPath();
    expect(lostDatabase(path)).toBeUndefined();
    openDatabase(path).close();
    recordCreation(path);
    expect(statSync(creationMarker(path)).mode & 0o777).toBe(0o600);
    expect(lostDatabase(path)).toBeUndefined();

    rmSync(path);
    expect(lostDatabase(path)).toBe(
      `No database at ${path}, but site.db.created beside it says one was made there: it was deleted or moved. Put the last backup in its place with \`npm run backup -- --restore <file>\`, or delete ${path}.created to start with an empty database.`,
    );
    // An empty file is no database either: SQLite would quietly make a new one in it.
    closeSync(openSync(path, 'w'));
    expect(lostDatabase(path)).toMatch(/^No database at /);
    rmSync(creationMarker(path));
    expect(lostDatabase(path)).toBeUndefined();
    expect(existsSync(creationMarker(path))).toBe(false);
  });
});

describe('databaseProblem', () => {
  const path = '/var/lib/reeks/site.db';
  const sqliteError = (errcode: number, message: string) =>
    new Error(`Cannot use the database ${path}: ${message}`, {
      cause: Object.assign(new Error(message), { errcode }),
    });

  it('words a damaged file, a read-only one, and leaves other errors alone', () => {
    expect(databaseProblem(path, sqliteError(26, 'file is not a database'))).toBe(
      damagedLine(path, 'file is not a database'),
    );
    expect(databaseProblem(path, sqliteError(11, 'database disk image is malformed'))).toMatch(
      /is damaged \(database disk image is malformed\): .*npm run backup -- --restore <file>/,
    );
    expect(databaseProblem(path, sqliteError(8, 'attempt to write a readonly database'))).toBe(
      `The database ${path} cannot be written by this user (attempt to write a readonly database): give the server's user write access to it and to its folder (SQLite keeps site.db-wal and -shm beside it), or set REEKS_DB_PATH to a file it may write.`,
    );
    expect(
      databaseProblem(path, Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' })),
    ).toMatch(/cannot be written by this user \(EROFS/);
    expect(databaseProblem(path, sqliteError(5, 'database is locked'))).toBeUndefined();
  });
});
