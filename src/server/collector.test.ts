// The collector on its own, on each database (SQLite in memory, PostgreSQL when the tests have
// one). src/server/collector.integration.test.ts runs the same checks against the built server
// and a real database file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventPage } from '../lib/events.ts';
import { createCollector } from './collector.ts';
import { type Database, isUnavailable, postgresDatabase, sqliteDatabase } from './database.ts';
import { openDatabase } from './db.ts';
import { createRateLimiter } from './rate-limit.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

const page: EventPage = {
  path: '/reeks/twee/',
  author: 'job',
  series: 'reeks',
  part: 2,
  channels: ['email'],
  sections: [
    { id: 'begin', title: 'Begin' },
    { id: 'midden', title: 'Midden' },
    { id: 'eind', title: 'Eind' },
  ],
};
const click = {
  type: 'contact_click',
  channel: 'email',
  path: page.path,
  author: 'job',
  series: 'reeks',
  part: 2,
};

function collectorOn(database: Database, limit = 1000) {
  return createCollector({
    database,
    pages: new Map([[page.path, page]]),
    limiter: createRateLimiter({ limit }),
    maxBodyBytes: 2048,
    bodyTimeoutMs: 10_000,
    timeZone: 'Europe/Amsterdam',
    now: () => new Date('2024-05-10T22:30:00Z'),
  });
}

const depth = {
  type: 'depth',
  path: page.path,
  author: 'job',
  series: 'reeks',
  part: 2,
  view: '0b6f6c1e-3c1a-4a57-9a3e-2f1d6f3c9b10',
  reached: 2,
  section: 'midden',
  end: false,
  engaged: 3,
};

/** As sendBeacon sends it from a page of the site. */
const beacon = {
  'content-type': 'text/plain;charset=UTF-8',
  host: 'localhost:4321',
  origin: 'http://localhost:4321',
};

function post(body: BodyInit | null, headers: Record<string, string> = beacon) {
  return new Request('http://localhost/api/events/', {
    method: 'POST',
    body,
    headers,
    duplex: 'half',
  } as RequestInit);
}

/** A body that arrives in pieces, without Content-Length. */
function streamed(size: number) {
  const chunk = new Uint8Array(512).fill(32);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.length;
    },
  });
}

describe.each(testedDatabases())('the collector on %s', (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await db.close();
  });
  const setup = (limit = 1000) => ({
    collect: collectorOn(db, limit),
    rows: () => db.all('SELECT day, type, path, author, series, part, channel FROM events ORDER BY id'),
  });

  it('takes text/plain only from pages of the site itself', async () => {
    const { collect, rows } = setup();
    const from = (origin?: string) =>
      post(JSON.stringify(click), { ...beacon, ...(origin ? { origin } : {}) });
    const noOrigin = post(JSON.stringify(click), { 'content-type': 'text/plain', host: 'localhost:4321' });
    expect((await collect(from('https://evil.example'), 'a')).status).toBe(403);
    expect((await collect(noOrigin, 'a')).status).toBe(403);
    expect(await rows()).toEqual([]);
    expect((await collect(from(), 'a')).status).toBe(201);
    // JSON needs a CORS preflight first, which other sites never get.
    expect(
      (await collect(post(JSON.stringify(click), { 'content-type': 'application/json' }), 'a')).status,
    ).toBe(201);
  });

  it('stores a valid event on the day in Amsterdam and answers 201', async () => {
    const { collect, rows } = setup();
    const response = await collect(post(JSON.stringify(click)), '203.0.113.7');
    expect(response.status).toBe(201);
    expect(await rows()).toEqual([
      {
        day: '2024-05-11',
        type: 'contact_click',
        path: page.path,
        author: 'job',
        series: 'reeks',
        part: 2,
        channel: 'email',
      },
    ]);
  });

  it('accepts application/json as well as the text/plain of sendBeacon', async () => {
    const { collect, rows } = setup();
    const response = await collect(
      post(JSON.stringify(click), { 'content-type': 'Application/JSON; charset=utf-8' }),
      'a',
    );
    expect(response.status).toBe(201);
    expect(await rows()).toHaveLength(1);
  });

  it.each([
    ['Sec-GPC: 1', { 'sec-gpc': '1' }],
    ['DNT: 1', { dnt: '1' }],
  ])('stores nothing and answers 204 for %s', async (_, privacy) => {
    const { collect, rows } = setup();
    const response = await collect(
      post(JSON.stringify(click), { 'content-type': 'text/plain', ...privacy }),
      'a',
    );
    expect(response.status).toBe(204);
    expect(await rows()).toHaveLength(0);
  });

  it.each([
    ['malformed JSON', post('{"type": "contact_click",'), 400],
    ['invalid UTF-8', post(new Uint8Array([0x7b, 0xff, 0x7d])), 400],
    ['an unknown channel', post(JSON.stringify({ ...click, channel: 'fax' })), 400],
    ['an empty body', post(null), 400],
    ['a form', post('type=contact_click', { 'content-type': 'application/x-www-form-urlencoded' }), 415],
    // A string body would get text/plain from Request itself; bytes get no content type.
    ['no content type', post(new TextEncoder().encode(JSON.stringify(click)), {}), 415],
    ['a declared size over 2 KB', post(JSON.stringify(click), { ...beacon, 'content-length': '2049' }), 413],
    ['a streamed body over 2 KB', post(streamed(4096)), 413],
  ])('refuses %s, storing nothing', async (_, request, status) => {
    const { collect, rows } = setup();
    const response = await collect(request, 'a');
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await rows()).toHaveLength(0);
  });

  describe('with reading depth', () => {
    const depthRows = () =>
      db.all('SELECT view, day, path, part, furthest, end_reached, engaged FROM reading_depth ORDER BY id');

    it('stores a page view’s depth, and replaces it with the later record of the same view', async () => {
      const { collect, rows } = setup();
      expect((await collect(post(JSON.stringify(depth)), 'a')).status).toBe(201);
      const later = { ...depth, reached: 3, section: 'eind', end: true, engaged: 30 };
      expect((await collect(post(JSON.stringify(later)), 'a')).status).toBe(201);
      expect(await depthRows()).toEqual([
        {
          view: depth.view,
          day: '2024-05-11',
          path: page.path,
          part: 2,
          furthest: 3,
          end_reached: 1,
          engaged: '1-3m',
        },
      ]);
      // Not an event: the page views and clicks stay as they were.
      expect(await rows()).toEqual([]);
    });

    it.each([
      ['an unknown section', { section: 'elders' }],
      ['a section index past the end', { reached: 4, section: 'eind' }],
      ['10,000 sections', { reached: 10_000 }],
      ['a negative engaged time', { engaged: -5 }],
      ['an engaged time past a day', { engaged: 17_281 }],
      ['a made-up page-view id', { view: 'lezer-1' }],
    ])('refuses %s with 400 and stores nothing', async (_, change) => {
      const { collect } = setup();
      const response = await collect(post(JSON.stringify({ ...depth, ...change })), 'a');
      expect(response.status).toBe(400);
      expect(await depthRows()).toEqual([]);
    });

    it('stores nothing for Sec-GPC: 1', async () => {
      const { collect } = setup();
      const response = await collect(post(JSON.stringify(depth), { ...beacon, 'sec-gpc': '1' }), 'a');
      expect(response.status).toBe(204);
      expect(await depthRows()).toEqual([]);
    });

    it('counts depth records against the same rate limit as events', async () => {
      const { collect } = setup(2);
      expect((await collect(post(JSON.stringify(click)), 'a')).status).toBe(201);
      expect((await collect(post(JSON.stringify(depth)), 'a')).status).toBe(201);
      expect((await collect(post(JSON.stringify({ ...depth, engaged: 9 })), 'a')).status).toBe(429);
    });
  });

  it('refuses with 429 and Retry-After when one client sends too much, and keeps serving others', async () => {
    const { collect, rows } = setup(2);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await collect(post(JSON.stringify(click)), 'a')).status);
    expect(statuses).toEqual([201, 201, 429]);
    const limited = await collect(post(JSON.stringify(click)), 'a');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await collect(post(JSON.stringify(click)), 'b')).status).toBe(201);
    expect(await rows()).toHaveLength(3);
  });

  it('answers 503, not 500, when the database cannot store the event', async () => {
    const { collect } = setup();
    await db.close();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await collect(post(JSON.stringify(click)), 'a');
    error.mockRestore();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    db = await openTestDatabase(kind);
  });
});

describe('the collector when the database is out of reach', () => {
  it('answers 503 with Retry-After while PostgreSQL refuses connections, and logs that once', async () => {
    // Nothing listens on port 1: every connection is refused, as when PostgreSQL is down.
    const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/reeks' });
    const collect = collectorOn(postgresDatabase(pool));
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const responses = await Promise.all(
        Array.from({ length: 3 }, () => collect(post(JSON.stringify(click)), 'a')),
      );
      const again = await collect(post(JSON.stringify(click)), 'a');
      for (const response of [...responses, again]) {
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect(await response.json()).toEqual({ error: 'the event could not be stored, try again later' });
      }
      expect(error).toHaveBeenCalledTimes(1);
      expect(String(error.mock.calls[0]![0])).toMatch(/out of reach.*ECONNREFUSED/);
    } finally {
      error.mockRestore();
      await pool.end();
    }
  });

  it('answers 503 while another process holds SQLite’s write lock too long', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'reeks-collector-')), 'site.db');
    const connection = openDatabase(path, { blockOnLock: false });
    const other = openDatabase(path);
    other.exec('BEGIN IMMEDIATE');
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await collectorOn(sqliteDatabase(connection, { lockTimeoutMs: 50 }))(
        post(JSON.stringify(click)),
        'a',
      );
      expect(response.status).toBe(503);
      expect(error).toHaveBeenCalledTimes(1);
      expect(String(error.mock.calls[0]![0])).toMatch(/out of reach.*locked/);
    } finally {
      error.mockRestore();
      other.exec('ROLLBACK');
      other.close();
      connection.close();
    }
  });
});

describe('isUnavailable', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    [
      'PostgreSQL shutting down',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    [
      'PostgreSQL starting up',
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    ],
    ['a lost connection', Object.assign(new Error('connection failure'), { code: '08006' })],
    ['a connection ended by the server', new Error('Connection terminated unexpectedly')],
    ['SQLite busy', Object.assign(new Error('database is locked'), { errcode: 5 })],
  ])('counts %s as unavailable', (_, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique key violated', Object.assign(new Error('duplicate key'), { code: '23505' })],
    [
      'a NOT NULL violated in SQLite',
      Object.assign(new Error('NOT NULL constraint failed'), { errcode: 1299 }),
    ],
    ['a bug', new TypeError('undefined is not a function')],
    ['nothing', undefined],
  ])('does not count %s', (_, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});
