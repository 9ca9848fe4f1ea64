// The production server against what a hosting team and an attacker throw at it: malformed
// requests, operator mistakes in the environment, a reverse proxy, another process holding the
// database, backups taken under load, and a reader's request to see or delete their messages.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { productionServers, rawRequest, runServerCommand } from '../../e2e/fixtures/server.ts';
import { pageView, partPaths, sendEvent, series } from '../../e2e/fixtures/events.ts';
import { storeMessage } from '../../e2e/fixtures/messages.ts';
import { databaseOf, openDatabase } from './db.ts';
import { addressKey } from './follow-links.ts';
import { confirmFollower } from './follow-store.ts';
import { queueMail } from './outbox.ts';
import { deriveKeys } from './secrets.ts';

const part1 = partPaths[0];
const reportLogin = { STATS_USER: 'marketing', STATS_PASSWORD: 'een lang geheim' };

const { tempDatabase, serve, buildDir } = productionServers('hardening');
const scratch = mkdtempSync(join(tmpdir(), 'reeks-hardening-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const count = (dbPath: string, table: string) => {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('requests of any shape', () => {
  const requests: [string, string, RegExp][] = [
    ['TRACE', 'TRACE / HTTP/1.1\r\nHost: localhost\r\n\r\n', / 405 /],
    ['credentials in Host', 'GET / HTTP/1.1\r\nHost: user:pw@evil.example\r\n\r\n', / 400 /],
    ['a path in Host', 'GET / HTTP/1.1\r\nHost: evil.example/x\r\n\r\n', / 400 /],
    ['two Host headers', 'GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil\r\n\r\n', / 400 /],
    ['no Host in HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n', / 400 /],
    ['HTTP/1.0 without Host', 'GET / HTTP/1.0\r\n\r\n', / 200 /],
    ['CONNECT', 'CONNECT localhost:80 HTTP/1.1\r\nHost: localhost\r\n\r\n', / 405 /],
    ['PUT', 'PUT / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n', / 405 /],
    ['DELETE on the collector', 'DELETE /api/events/ HTTP/1.1\r\nHost: localhost\r\n\r\n', / 405 /],
    ['PROPFIND', 'PROPFIND / HTTP/1.1\r\nHost: localhost\r\n\r\n', / 501 /],
    ['a made-up method', 'BREW / HTTP/1.1\r\nHost: localhost\r\n\r\n', / 400 /],
    ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n', / 204 /],
    ['an absolute URL', 'GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n', / 400 /],
    ['an asterisk', 'GET * HTTP/1.1\r\nHost: localhost\r\n\r\n', / 400 /],
    ['broken percent-encoding', 'GET /%E0%A4%A HTTP/1.1\r\nHost: localhost\r\n\r\n', / 400 /],
    ['broken percent-encoding in the query', 'GET /?q=%ZZ HTTP/1.1\r\nHost: localhost\r\n\r\n', / 400 /],
    ['a NUL byte, encoded', 'GET /%00/ HTTP/1.1\r\nHost: localhost\r\n\r\n', / 404 /],
    ['a path out of the site', 'GET /..%2f..%2f..%2fetc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n', / 404 /],
    ['a double slash', 'GET //evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n', / 404 /],
    ['a raw non-ASCII path', 'GET /\u00e9t\u00e9/ HTTP/1.1\r\nHost: localhost\r\n\r\n', / 400 /],
    [
      'odd forwarding headers',
      'GET / HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Host: u:p@evil\r\nX-Forwarded-Proto: javascript\r\nX-Forwarded-For: ::::\r\n\r\n',
      / 200 /,
    ],
    [
      'a header that is not Latin-1 text',
      'GET / HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: \u00ff\u00fe\r\n\r\n',
      / 200 /,
    ],
    [
      'Content-Length and chunked together',
      'POST /api/events/ HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
      / 400 /,
    ],
    [
      'a Content-Length that is not a number',
      'POST /api/events/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n',
      / 400 /,
    ],
    [
      'headers of 64 KB',
      `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(65_536)}\r\n\r\n`,
      / 431 /,
    ],
    ['HTTP/2 spoken as HTTP/1', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', / 400 /],
    ['garbage', 'hello\r\n\r\n', / 400 /],
    ['the 404 page asked for itself', 'GET /404.html HTTP/1.1\r\nHost: localhost\r\n\r\n', / 404 /],
    ['the 500 page asked for itself', 'GET /500.html HTTP/1.1\r\nHost: localhost\r\n\r\n', / 404 /],
    [
      'a GET on the collector with a query',
      'GET /api/events/?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n',
      / 405 /,
    ],
    [
      'a form that is not urlencoded',
      'POST /berichten/ HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 5\r\n\r\nhello',
      / 4\d\d /,
    ],
  ];

  it('answers each with a status and keeps serving everybody else', async () => {
    const server = await serve(tempDatabase());
    for (const [name, raw, status] of requests) {
      expect.soft(await rawRequest(server.url, raw), name).toMatch(status);
      expect((await fetch(`${server.url}/`)).status, `GET / after ${name}`).toBe(200);
    }
    expect(server.process.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/Unexpected error|Could not answer/);
  }, 120_000);

  it('answers the error pages with their status, and publishes none of the server’s own data', async () => {
    const server = await serve(tempDatabase());
    const notFound = await fetch(`${server.url}/404.html`);
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).toContain('Pagina niet gevonden');
    for (const path of ['/api/tracked-pages.json', '/api/og-cards.json', '/site-manifest.json']) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
    }
    const sitemap = readFileSync(join(buildDir(), 'client', 'sitemap-0.xml'), 'utf8');
    expect(sitemap).toContain(part1);
    expect(sitemap).not.toMatch(/\/berichten\/|\/404|\/500|\/stats/);
  }, 60_000);
});

describe('operator mistakes', () => {
  const start = (env: Record<string, string>, dir = buildDir()) =>
    runServerCommand('start.ts', [dir], {
      PORT: '0',
      HOST: '127.0.0.1',
      REEKS_DB_PATH: join(scratch, 'mistake.db'),
      ...env,
    });

  it.each([
    [{ PORT: 'http' }, /^PORT must be a port number/],
    [{ HOST: 'https://example.com' }, /^HOST must be a host name/],
    [{ HOST: 'no-such-host.invalid' }, /^HOST no-such-host\.invalid is not an address of this machine/],
    [
      { REEKS_MESSAGE_RETENTION_DAYS: '-5' },
      /^REEKS_MESSAGE_RETENTION_DAYS must be the days a message is kept/,
    ],
    [
      { REEKS_MESSAGE_RETENTION_DAYS: '30' },
      /^REEKS_MESSAGE_RETENTION_DAYS is 30, but the privacy page of this build promises 365 days/,
    ],
    [{ SITE_URL: 'reeks.example.com' }, /^SITE_URL must be the site's public address/],
    [{ ASTRO_NODE_AUTOSTART: '' }, /^ASTRO_NODE_AUTOSTART must be "disabled" for the server/],
    [{ REEKS_EVENTS_PER_MINUTE: 'veel' }, /^REEKS_EVENTS_PER_MINUTE/],
    [{ REEKS_TRUSTED_PROXIES: 'ja' }, /^REEKS_TRUSTED_PROXIES/],
    [{ STATS_USER: 'marketing' }, /^STATS_USER is set but STATS_PASSWORD is not/],
    [{ STATS_USER: 'marketing', STATS_PASSWORD: 'a' }, /^STATS_PASSWORD must be at least 12 characters/],
    [{ SMTP_HOST: 'smtp.example.com' }, /^SMTP_HOST is set but SMTP_FROM is not/],
    [
      { REEKS_DB_PATH: '/dev/null/site.db' },
      /^Cannot use the database \/dev\/null\/site\.db: .*Set REEKS_DB_PATH/,
    ],
  ])('stops on %o with one line and exit code 1', async (env, message) => {
    const { code, stdout, stderr } = await start(env);
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stdout).not.toContain('Serving on');
  });

  it('says to build first when there is no build, and creates no database', async () => {
    const dbPath = join(scratch, 'never.db');
    const { code, stderr } = await start({ REEKS_DB_PATH: dbPath }, join(scratch, 'no-build'));
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^No build in .*no-build: run `npm run build` first\.$/);
    expect(existsSync(dbPath)).toBe(false);
  });

  it('says so in one line when the port is taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const { code, stderr } = await start({ PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(
        `PORT ${port} is already in use on 127.0.0.1: stop what uses it, or set PORT to a free port.`,
      );
    } finally {
      taken.close();
    }
  });
});

describe('the adapter’s entry started on its own, without npm start', () => {
  it('answers the server routes 503, and says once to serve the build with npm start', async () => {
    const entry = join(buildDir(), 'server', 'entry.mjs');
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', entry], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ASTRO_NODE_AUTOSTART: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    try {
      const deadline = Date.now() + 20_000;
      let origin: string | undefined;
      while (!origin) {
        origin = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`the entry did not start:\n${stdout}${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (let request = 0; request < 3; request++) {
        const response = await fetch(`${origin}/api/events/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(pageView(1)),
        });
        expect(response.status).toBe(503);
        expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(await response.text()).toMatch(/^Deze functie van de site werkt nu niet\./);
      }
      // The pages themselves are still served.
      expect((await fetch(`${origin}${part1}`)).status).toBe(200);
      expect(stderr.trim().split('\n')).toEqual([
        "This is the adapter's entry on its own, without the server context: the server routes answer 503. Serve the build with `npm start`.",
      ]);
    } finally {
      child.kill();
    }
  });
});

describe('behind a reverse proxy', () => {
  it('tells readers apart by the address the proxy saw, never by what a reader wrote', async () => {
    const server = await serve(tempDatabase(), {
      REEKS_TRUSTED_PROXIES: '127.0.0.1,::1',
      REEKS_EVENTS_PER_MINUTE: '2',
    });
    // nginx appends the address it saw to what the reader sent.
    const from = (reader: string, written = '') => ({
      'X-Forwarded-For': written ? `${written}, ${reader}` : reader,
    });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await sendEvent(server, pageView(1), from('203.0.113.7', `10.0.0.${i}`))).status);
    expect(statuses).toEqual([201, 201, 429]);
    expect((await sendEvent(server, pageView(1), from('203.0.113.8'))).status).toBe(201);
  }, 60_000);

  it('ignores X-Forwarded-For without a proxy: the socket address is the client', async () => {
    const server = await serve(tempDatabase(), { REEKS_EVENTS_PER_MINUTE: '2' });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await sendEvent(server, pageView(1), { 'X-Forwarded-For': `198.51.100.${i}` })).status);
    expect(statuses).toEqual([201, 201, 429]);
  }, 60_000);

  it('stops guessing at the report’s password, and logs the client once', async () => {
    const server = await serve(tempDatabase(), { ...reportLogin, REEKS_TRUSTED_PROXIES: '127.0.0.1,::1' });
    const login = (password: string, reader: string) =>
      fetch(`${server.url}/stats/`, {
        headers: {
          Authorization: `Basic ${Buffer.from(`marketing:${password}`).toString('base64')}`,
          'X-Forwarded-For': reader,
        },
      });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await login(`gok-${i}`, '198.51.100.9')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const blocked = await login(reportLogin.STATS_PASSWORD, '198.51.100.9');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login(reportLogin.STATS_PASSWORD, '203.0.113.7')).status).toBe(200);
    expect(server.output().match(/too many wrong logins/g)).toHaveLength(1);
    expect(server.output()).not.toContain('gok-');
  }, 60_000);
});

describe('the database', () => {
  it('keeps pages answering while another process holds the write lock; the write answers 503 with Retry-After', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath);
    const script = `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(dbPath)});
      db.exec('BEGIN IMMEDIATE'); console.log('locked'); setInterval(() => {}, 1000);`;
    const locker = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise((resolve) => locker.stdout!.once('data', resolve));
      let eventAnswered = false;
      const event = sendEvent(server, pageView(1)).then((response) => {
        eventAnswered = true;
        return response;
      });
      // While the event waits for the lock, pages and the report's login still answer.
      for (const path of ['/', part1, '/stats/']) {
        expect((await fetch(`${server.url}${path}`)).status).toBeLessThan(500);
      }
      expect(eventAnswered).toBe(false);
      const refused = await event;
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
    } finally {
      locker.kill();
    }
    await new Promise((resolve) => locker.once('exit', resolve));
    expect((await sendEvent(server, pageView(1))).status).toBe(201);
  }, 60_000);

  it('backs up under load with every acknowledged event and message, and restores as documented', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, { REEKS_EVENTS_PER_MINUTE: '100000' });
    const acknowledged = (
      await Promise.all(Array.from({ length: 300 }, () => sendEvent(server, pageView(1))))
    ).filter((r) => r.status === 201).length;
    expect(acknowledged).toBe(300);
    // A message as the form stores it, committed by another connection.
    const writer = openDatabase(dbPath);
    await storeMessage(
      writer,
      { name: 'Anna', email: 'anna@example.nl', question: 'Vraag' },
      { path: part1, author: 'job-coenen', series, part: 1 },
      new Date(),
    );
    writer.close();

    // More events arrive while the backup is taken.
    let sending = true;
    const load = (async () => {
      while (sending) await Promise.all(Array.from({ length: 20 }, () => sendEvent(server, pageView(1))));
    })();
    const backupFile = join(scratch, 'backup.db');
    const backup = await runServerCommand('backup-cli.ts', [backupFile], { REEKS_DB_PATH: dbPath });
    sending = false;
    await load;
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`written to ${backupFile}`);
    expect((await runServerCommand('backup-cli.ts', [backupFile], { REEKS_DB_PATH: dbPath })).stderr).toMatch(
      /exists already/,
    );

    // docs/operating.md: stop the server, restore the backup in place of the database, start again.
    await server.stop();
    const eventsBefore = count(dbPath, 'events');
    const restore = await runServerCommand('backup-cli.ts', ['--restore', backupFile], {
      REEKS_DB_PATH: dbPath,
    });
    expect(restore.code, restore.stderr).toBe(0);
    expect(count(dbPath, 'events')).toBeGreaterThanOrEqual(acknowledged);
    expect(count(dbPath, 'messages')).toBe(1);
    // The database it replaced is kept beside it, whole.
    const kept = /kept as (\S+)\./.exec(restore.stdout)![1]!;
    expect(count(kept, 'events')).toBe(eventsBefore);
    const restarted = await serve(dbPath);
    expect((await sendEvent(restarted, pageView(1))).status).toBe(201);
    expect(count(dbPath, 'events')).toBeGreaterThan(acknowledged);
  }, 120_000);
});

describe('a reader’s request to see or delete their messages', () => {
  it('lists the messages of one address, deletes exactly those, and says how many', async () => {
    const dbPath = join(scratch, 'requests.db');
    const db = openDatabase(dbPath);
    const origin = { path: part1, author: 'job-coenen', series, part: 1 };
    await storeMessage(
      db,
      { name: 'Anna', email: 'anna@example.nl', question: 'Eerste vraag' },
      origin,
      new Date(),
    );
    await storeMessage(
      db,
      { name: 'Anna', email: 'ANNA@example.nl', question: 'Tweede vraag' },
      origin,
      new Date(),
    );
    await storeMessage(
      db,
      { name: 'Bram', email: 'bram@example.nl', question: 'Vraag van Bram' },
      origin,
      new Date(),
    );
    // Anna and Bram follow the series, as the follow routes store it; a confirmation mail waits for Anna.
    const secret = 'een geheim van tweeëndertig tekens of meer';
    const keys = deriveKeys(secret);
    await databaseOf(db).transaction(async (tx) => {
      for (const email of ['anna@example.nl', 'bram@example.nl'])
        await confirmFollower(tx, {
          addressKey: addressKey(keys, email),
          email,
          series,
          from: part1,
          now: new Date('2026-05-02T08:00:00Z'),
          day: '2026-05-02',
        });
      await queueMail(tx, {
        recipient: addressKey(keys, 'ANNA@example.nl'),
        cause: 'confirm:andere:1',
        kind: 'confirm',
        series,
        content: { to: 'ANNA@example.nl', subject: 'Bevestig', text: 'Klik' },
      });
    });
    db.close();
    const env = { REEKS_DB_PATH: dbPath, REEKS_SECRET: secret };

    const listed = await runServerCommand('messages-cli.ts', ['--email', 'anna@example.nl'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^Berichten van anna@example\.nl: 2/);
    expect(listed.stdout).toContain('Eerste vraag');
    expect(listed.stdout).not.toContain('Bram');
    expect(listed.stdout).toContain('Volgt per e-mail: 1 reeks (bewaard tot afmelden)');
    expect(listed.stdout).toContain(
      // Named by its id: no server has recorded the series' title in this database yet.
      `  ${series}: bevestigd 2 mei 2026 om 10:00, vanaf ${part1}`,
    );
    expect(listed.stdout).toMatch(/Mails aan of over dit adres in de wachtrij: 1\n {2}bevestigingsmail/);

    const deleted = await runServerCommand(
      'messages-cli.ts',
      ['--email', 'anna@example.nl', '--verwijder'],
      env,
    );
    expect(deleted.stdout.trim()).toBe(
      '2 berichten van anna@example.nl verwijderd.\n' +
        'Volgen per e-mail: 1 volger, 1 mail in de wachtrij en 0 aanvragen verwijderd.',
    );
    expect(count(dbPath, 'messages')).toBe(1);
    expect(count(dbPath, 'followers')).toBe(1);
    expect(count(dbPath, 'outbox')).toBe(0);
    const again = await runServerCommand('messages-cli.ts', ['--email', 'anna@example.nl'], env);
    expect(again.stdout).toContain('Volgt geen reeks per e-mail.');
    expect(again.stdout).toContain('Geen mails aan of over dit adres in de wachtrij.');
    const other = await runServerCommand('messages-cli.ts', ['--email', 'bram@example.nl'], env);
    expect(other.stdout).toContain('Volgt per e-mail: 1 reeks');
    const rest = await runServerCommand('messages-cli.ts', [], env);
    expect(rest.stdout).toContain('Vraag van Bram');

    const careless = await runServerCommand('messages-cli.ts', ['--verwijder'], env);
    expect(careless.code).toBe(1);
    expect(careless.stderr.trim()).toMatch(/^--verwijder deletes the messages of one address: add --email/);
    expect(count(dbPath, 'messages')).toBe(1);
  });
});
