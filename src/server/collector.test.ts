// The collector on its own, with an in-memory database. src/server/collector.integration.test.ts runs the
// same checks against the built server and a real database file.
import { describe, expect, it } from 'vitest';
import type { EventPage } from '../lib/events.ts';
import { createCollector } from './collector.ts';
import { openDatabase } from './db.ts';
import { createRateLimiter } from './rate-limit.ts';

const page: EventPage = {
  path: '/reeks/twee/',
  author: 'job',
  series: 'reeks',
  part: 2,
  channels: ['email'],
};
const click = {
  type: 'contact_click',
  channel: 'email',
  path: page.path,
  author: 'job',
  series: 'reeks',
  part: 2,
};

function setup(limit = 1000) {
  const db = openDatabase(':memory:');
  const collect = createCollector({
    db,
    pages: new Map([[page.path, page]]),
    limiter: createRateLimiter({ limit }),
    maxBodyBytes: 2048,
    bodyTimeoutMs: 10_000,
    timeZone: 'Europe/Amsterdam',
    now: () => new Date('2024-05-10T22:30:00Z'),
  });
  const rows = () => db.prepare('SELECT day, type, path, author, series, part, channel FROM events').all();
  return { db, collect, rows };
}

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

describe('collector', () => {
  it('takes text/plain only from pages of the site itself', async () => {
    const { collect, rows } = setup();
    const from = (origin?: string) =>
      post(JSON.stringify(click), { ...beacon, ...(origin ? { origin } : {}) });
    const noOrigin = post(JSON.stringify(click), { 'content-type': 'text/plain', host: 'localhost:4321' });
    expect((await collect(from('https://evil.example'), 'a')).status).toBe(403);
    expect((await collect(noOrigin, 'a')).status).toBe(403);
    expect(rows()).toEqual([]);
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
    expect(rows()).toEqual([
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
    expect(rows()).toHaveLength(1);
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
    expect(rows()).toHaveLength(0);
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
    expect(rows()).toHaveLength(0);
  });

  it('refuses with 429 and Retry-After when one client sends too much, and keeps serving others', async () => {
    const { collect, rows } = setup(2);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await collect(post(JSON.stringify(click)), 'a')).status);
    expect(statuses).toEqual([201, 201, 429]);
    const limited = await collect(post(JSON.stringify(click)), 'a');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await collect(post(JSON.stringify(click)), 'b')).status).toBe(201);
    expect(rows()).toHaveLength(3);
  });

  it('answers 503, not 500, when the database cannot store the event', async () => {
    const { db, collect } = setup();
    db.close();
    const response = await collect(post(JSON.stringify(click)), 'a');
    expect(response.status).toBe(503);
  });
});
