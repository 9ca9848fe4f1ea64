import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDatabase, databaseOf, openDatabase, transaction } from './db.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'reeks-db-'));
  dirs.push(dir);
  return dir;
}
const mode = (path: string) => statSync(path).mode & 0o777;
const insertView = (db: DatabaseSync) =>
  db
    .prepare("INSERT INTO events (day, type, path, author) VALUES ('2024-05-01', 'pageview', '/a/', 'job')")
    .run();
const countEvents = (db: DatabaseSync) =>
  (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

/** Another process that takes the write lock and holds it until it is killed. */
async function holdWriteLock(path: string) {
  const script = `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(path)});
    db.exec('BEGIN IMMEDIATE'); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  return child;
}

describe('openDatabase', () => {
  it('creates the folder 0700 and the database with its WAL and SHM files 0600', () => {
    const dir = join(tempDir(), 'data');
    const path = join(dir, 'site.db');
    const db = openDatabase(path);
    insertView(db);
    expect(mode(dir)).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(mode(file), file).toBe(0o600);
    db.close();
  });
});

describe("a connection's Database", () => {
  it('waits for another process that holds the write lock without blocking the event loop, then gives up', async () => {
    const path = join(tempDir(), 'site.db');
    const db = openDatabase(path, { blockOnLock: false });
    const locker = await holdWriteLock(path);
    try {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const started = Date.now();
      await expect(databaseOf(db, 500).transaction(async () => insertView(db))).rejects.toThrow(/locked/);
      clearInterval(timer);
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      // The event loop went on all the while: timers of 10 ms kept firing.
      expect(ticks).toBeGreaterThan(10);
    } finally {
      locker.kill();
    }
    await new Promise((resolve) => locker.once('exit', resolve));
    await databaseOf(db).transaction(async () => insertView(db));
    expect(countEvents(db)).toBe(1);
    db.close();
  });

  it('rolls back what the write did when it throws', async () => {
    const db = openDatabase(':memory:');
    await expect(
      databaseOf(db).transaction(async () => {
        insertView(db);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(countEvents(db)).toBe(0);
  });
});

describe('backupDatabase', () => {
  it('copies every committed row, the WAL included, into a database of its own readable by this user only', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'site.db'));
    transaction(db, () => {
      for (let i = 0; i < 100; i++) insertView(db);
    });
    const copy = join(dir, 'backup.db');
    await backupDatabase(db, copy);
    expect(mode(copy)).toBe(0o600);
    const restored = new DatabaseSync(copy, { readOnly: true });
    expect(countEvents(restored)).toBe(100);
    restored.close();
    db.close();
  });
});
