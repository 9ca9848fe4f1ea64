// The production server and its database file (src/server/db-watch.ts): deleted while serving,
// damaged in its middle, missing at a restart, read-only at start; and the two health routes.
import { chmodSync, closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { productionServers, runServerCommand } from '../../e2e/fixtures/server.ts';
import { pageView, partPaths, sendEvent, series } from '../../e2e/fixtures/events.ts';
import { messageForm } from '../site.config.ts';
import { openDatabase } from './db.ts';
import { creationMarker } from './db-watch.ts';

const part1 = partPaths[0];

const { tempDatabase, serve, buildDir } = productionServers('db-watch');

const countEvents = (dbPath: string) => {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** `npm start` on the test build that should stop: its exit code and what it printed. */
const start = (dbPath: string, as?: { uid: number; gid: number }) =>
  runServerCommand('start.ts', [buildDir()], { PORT: '0', HOST: '127.0.0.1', REEKS_DB_PATH: dbPath }, as);

const restoreLine = '`npm run backup -- --restore <file>`';

/** A database with events in it, as a server that ran for a while leaves it (closed, WAL folded in). */
function databaseWithEvents(dbPath: string, events = 5000) {
  const db = openDatabase(dbPath);
  const insert = db.prepare(
    "INSERT INTO events (day, type, path, author, series, part) VALUES ('2026-12-01', 'pageview', ?, 'job-coenen', ?, 1)",
  );
  db.exec('BEGIN');
  for (let i = 0; i < events; i++) insert.run(part1, series);
  db.exec('COMMIT');
  db.close();
}

describe('the health routes', () => {
  it('say 200 while the process serves and the database takes writes, and nothing else', async () => {
    const server = await serve(tempDatabase());
    for (const path of ['/healthz', '/healthz/db', '/healthz?verbose=1']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toBe('ok\n');
    }
    expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});

describe('the database deleted while serving', () => {
  it('answers every write 503 instead of acknowledging it, says so once, and /healthz/db turns 503', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath);
    expect((await sendEvent(server, pageView(1))).status).toBe(201);
    const html = await (await fetch(`${server.url}${part1}`)).text();
    const token = /name="token" value="([^"]+)"/.exec(html)![1]!;
    await new Promise((resolve) => setTimeout(resolve, messageForm.minFillSeconds * 1000 + 200));

    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`);

    for (let i = 0; i < 3; i++) {
      const event = await sendEvent(server, pageView(1));
      expect(event.status).toBe(503);
      expect(event.headers.get('retry-after')).toBe('5');
      expect(await event.json()).toEqual({ error: 'the event could not be stored, try again later' });
    }
    const message = await fetch(`${server.url}/berichten/`, {
      method: 'POST',
      headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        page: part1,
        name: 'Anna de Vries',
        email: 'anna@gemeente.example.nl',
        question: 'Hoe begin ik?',
        consent: 'ja',
        website: '',
        token,
      }),
      redirect: 'manual',
    });
    expect(message.status).toBe(503);
    expect(message.headers.get('retry-after')).toBe('60');
    expect(await message.text()).toContain('Probeer het over een paar minuten opnieuw.');

    expect((await fetch(`${server.url}/healthz/db`)).status).toBe(503);
    expect(await (await fetch(`${server.url}/healthz/db`)).text()).toBe('unavailable\n');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // Pages need no database.
    expect((await fetch(`${server.url}${part1}`)).status).toBe(200);

    const lost = server.output().match(/^DATABASE LOST: .*$/gm) ?? [];
    expect(lost).toEqual([
      `DATABASE LOST: ${dbPath} was deleted while the server was running; from now on every write answers 503 and nothing is stored. Put the last backup back with ${restoreLine}, then restart the server.`,
    ]);
    expect(server.output()).not.toMatch(/Could not store/);
  }, 60_000);
});

describe('a database damaged in its middle', () => {
  it('stops `npm start` with one line naming the restore command, which brings it back', async () => {
    const dbPath = tempDatabase();
    databaseWithEvents(dbPath);
    const backup = join(dirname(dbPath), 'backup.db');
    expect((await runServerCommand('backup-cli.ts', [backup], { REEKS_DB_PATH: dbPath })).code).toBe(0);

    const { size } = statSync(dbPath);
    const fd = openSync(dbPath, 'r+');
    writeSync(fd, Buffer.alloc(32 * 1024, 0xa5), 0, 32 * 1024, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);

    const { code, stderr } = await start(dbPath);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(
      new RegExp(
        `^The database ${dbPath} is damaged \\(.+\\): put the last backup in its place with ${restoreLine.replace(/[-<>]/g, '\\$&')}, then start again\\.$`,
      ),
    );

    const restore = await runServerCommand('backup-cli.ts', ['--restore', backup], { REEKS_DB_PATH: dbPath });
    expect(restore.code, restore.stderr).toBe(0);
    const server = await serve(dbPath);
    expect((await sendEvent(server, pageView(1))).status).toBe(201);
    expect(countEvents(dbPath)).toBe(5001);
  }, 60_000);
});

describe('a database missing at a restart', () => {
  it('stops `npm start` and the commands with one line naming the restore command, and makes no empty one', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath);
    expect((await sendEvent(server, pageView(1))).status).toBe(201);
    const backup = join(dirname(dbPath), 'backup.db');
    expect((await runServerCommand('backup-cli.ts', [backup], { REEKS_DB_PATH: dbPath })).code).toBe(0);
    await server.stop();
    expect(statSync(creationMarker(dbPath)).mode & 0o777).toBe(0o600);

    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
    const expected = `No database at ${dbPath}, but site.db.created beside it says one was made there: it was deleted or moved. Put the last backup in its place with ${restoreLine}, or delete ${dbPath}.created to start with an empty database.`;
    const stopped = await start(dbPath);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr.trim()).toBe(expected);
    expect(existsSync(dbPath)).toBe(false);
    const stats = await runServerCommand('report-cli.ts', [], { REEKS_DB_PATH: dbPath });
    expect([stats.code, stats.stderr.trim()]).toEqual([1, expected]);

    const restore = await runServerCommand('backup-cli.ts', ['--restore', backup], { REEKS_DB_PATH: dbPath });
    expect(restore.code, restore.stderr).toBe(0);
    const restarted = await serve(dbPath);
    expect((await sendEvent(restarted, pageView(1))).status).toBe(201);
    expect(countEvents(dbPath)).toBe(2);
  }, 60_000);
});

describe('a read-only database', () => {
  // Root may write anything: run the server as nobody then, as a service user would be.
  const asRoot = process.getuid?.() === 0;
  const as = asRoot ? { uid: 65534, gid: 65534 } : undefined;

  it.each([
    ['a read-only folder with the database in it', { folder: false, file: false, exists: true }],
    ['a read-only file in a writable folder', { folder: true, file: false, exists: true }],
    ['a read-only folder without a database yet', { folder: false, file: true, exists: false }],
  ])('%s stops `npm start` with one line', async (_name, writable) => {
    const dbPath = tempDatabase();
    const dir = dirname(dbPath);
    if (writable.exists) databaseWithEvents(dbPath, 10);
    if (asRoot) chmodSync(buildDir(), 0o755);
    const mode = (path: string, rootMode: number, userMode: number) =>
      existsSync(path) && chmodSync(path, asRoot ? rootMode : userMode);
    mode(dbPath, writable.file ? 0o666 : 0o644, writable.file ? 0o600 : 0o400);
    mode(dir, writable.folder ? 0o777 : 0o755, writable.folder ? 0o700 : 0o500);
    try {
      const { code, stdout, stderr } = await start(dbPath, as);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr.trim()).toMatch(
        new RegExp(
          `^The database ${dbPath} cannot be written by this user \\(.+\\): give the server's user write access to it and to its folder .*, or set REEKS_DB_PATH to a file it may write\\.$`,
        ),
      );
      expect(stdout).not.toContain('Serving on');
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
