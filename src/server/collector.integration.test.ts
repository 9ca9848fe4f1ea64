// The collector and the report on the built production server, started as `npm start` starts
// it, with a real SQLite file in a temporary folder.
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { productionServers, rawPost } from '../../e2e/fixtures/server.ts';
import { pageView, partPaths, sendEvent } from '../../e2e/fixtures/events.ts';

const click = (part: number, channel: string) => ({ ...pageView(part), type: 'contact_click', channel });

const { tempDatabase, serve } = productionServers('events');

/** Reads the file the server writes, as a separate connection would. */
function storedEvents(dbPath: string) {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY id').all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe('the collector on the production server', () => {
  it('stores 1,000 concurrent events, and still has them after a restart', async () => {
    const dbPath = tempDatabase();
    const env = {
      REEKS_EVENTS_PER_MINUTE: '100000',
      STATS_USER: 'marketing',
      STATS_PASSWORD: 'een lang geheim',
    };
    let server = await serve(dbPath, env);

    // 700 views and 300 clicks, spread over the three parts and the three channels.
    const channels = ['email', 'phone', 'linkedin'];
    const events = Array.from({ length: 1000 }, (_, i) =>
      i % 10 < 7 ? pageView((i % 3) + 1) : click((i % 3) + 1, channels[i % 3]!),
    );
    const responses = await Promise.all(events.map((event) => sendEvent(server, event)));
    expect(responses.map((response) => response.status)).toEqual(events.map(() => 201));
    expect(storedEvents(dbPath)).toHaveLength(1000);

    await server.stop();
    server = await serve(dbPath, env);
    expect(storedEvents(dbPath)).toHaveLength(1000);

    const csv = await (
      await fetch(`${server.url}/stats/export.csv?dagen=7`, {
        headers: { Authorization: `Basic ${Buffer.from('marketing:een lang geheim').toString('base64')}` },
      })
    ).text();
    expect(csv).toContain('\r\nTotaal;700;0;300;42,9%;;100;100;100;0\r\n');
  }, 60_000);

  it('never loses an event it answered 201 for, even when the process is killed mid-stream', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, { REEKS_EVENTS_PER_MINUTE: '100000' });
    let acknowledged = 0;
    const sending = Array.from({ length: 600 }, () =>
      sendEvent(server, pageView(2))
        .then((response) => {
          if (response.status === 201) acknowledged++;
          if (acknowledged === 100) server.process.kill('SIGKILL');
        })
        .catch(() => {}),
    );
    await Promise.all(sending);
    await server.stop();

    expect(acknowledged).toBeGreaterThanOrEqual(100);
    expect(acknowledged).toBeLessThan(600);
    const restarted = await serve(dbPath);
    expect(storedEvents(dbPath).length).toBeGreaterThanOrEqual(acknowledged);
    expect((await sendEvent(restarted, pageView(1))).status).toBe(201);
  }, 60_000);

  it('answers every hostile request with the right 4xx, stores nothing, and keeps serving', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, { REEKS_EVENTS_PER_MINUTE: '100000' });
    const endpoint = `${server.url}/api/events/`;
    const sameOrigin = { Origin: server.url };
    const json = { 'Content-Type': 'application/json' };
    const valid = JSON.stringify(click(2, 'email'));

    const cases: [string, () => ReturnType<typeof rawPost>, number][] = [
      ['malformed JSON', () => rawPost(endpoint, '{"type": "contact_click", ', { headers: json }), 400],
      ['a JSON array', () => rawPost(endpoint, '[]', { headers: json }), 400],
      ['JSON null', () => rawPost(endpoint, 'null', { headers: json }), 400],
      [
        'deeply nested JSON',
        () => rawPost(endpoint, `${'['.repeat(1000)}${']'.repeat(1000)}`, { headers: json }),
        400,
      ],
      [
        'invalid UTF-8',
        () => rawPost(endpoint, Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { headers: json }),
        400,
      ],
      ['an empty body', () => rawPost(endpoint, '', { headers: json }), 400],
      [
        'an unknown channel',
        () => rawPost(endpoint, JSON.stringify(click(2, 'fax')), { headers: json }),
        400,
      ],
      [
        'an unknown type',
        () => rawPost(endpoint, JSON.stringify({ ...pageView(2), type: 'purchase' }), { headers: json }),
        400,
      ],
      [
        'a path that is not a part',
        () => rawPost(endpoint, JSON.stringify({ ...pageView(2), path: '/' }), { headers: json }),
        400,
      ],
      [
        'the wrong part for the path',
        () => rawPost(endpoint, JSON.stringify({ ...pageView(2), part: 3 }), { headers: json }),
        400,
      ],
      [
        'SQL in the path',
        () =>
          rawPost(endpoint, JSON.stringify({ ...pageView(2), path: "/'; DROP TABLE events; --" }), {
            headers: json,
          }),
        400,
      ],
      [
        'SQL in the author',
        () =>
          rawPost(endpoint, JSON.stringify({ ...pageView(2), author: "job-coenen' OR '1'='1" }), {
            headers: json,
          }),
        400,
      ],
      [
        'HTML in the channel',
        () => rawPost(endpoint, JSON.stringify(click(2, '<script>alert(1)</script>')), { headers: json }),
        400,
      ],
      [
        'HTML in a field name',
        () =>
          rawPost(endpoint, JSON.stringify({ ...pageView(2), '<img src=x onerror=alert(1)>': 1 }), {
            headers: json,
          }),
        400,
      ],
      ['a body just over 2 KB', () => rawPost(endpoint, valid.padEnd(2049, ' '), { headers: json }), 413],
      ['a 64 KB body', () => rawPost(endpoint, valid.padEnd(65_536, ' '), { headers: json }), 413],
      [
        'a 100 KB body without Content-Length',
        () => rawPost(endpoint, valid.padEnd(102_400, ' '), { headers: json, chunked: true }),
        413,
      ],
      [
        'a form post',
        () =>
          rawPost(endpoint, 'type=contact_click', {
            headers: { ...sameOrigin, 'Content-Type': 'application/x-www-form-urlencoded' },
          }),
        415,
      ],
      [
        'multipart',
        () =>
          rawPost(endpoint, valid, {
            headers: { ...sameOrigin, 'Content-Type': 'multipart/form-data; boundary=x' },
          }),
        415,
      ],
      ['XML', () => rawPost(endpoint, '<event/>', { headers: { 'Content-Type': 'application/xml' } }), 415],
      ['no content type', () => rawPost(endpoint, valid, { headers: sameOrigin }), 415],
      [
        'text/plain from another site',
        () =>
          rawPost(endpoint, valid, {
            headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
          }),
        403,
      ],
    ];

    for (const [name, request, status] of cases) {
      const response = await request();
      expect.soft(response.status, name).toBe(status);
      expect.soft(response.body, name).not.toMatch(/<script|<img|DROP TABLE/);
    }
    expect(storedEvents(dbPath)).toEqual([]);

    // Still serving: pages, and valid events, including one padded to exactly 2 KB.
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    expect((await rawPost(endpoint, valid.padEnd(2048, ' '), { headers: json })).status).toBe(201);
    expect(
      (
        await rawPost(endpoint, valid, {
          headers: { ...sameOrigin, 'Content-Type': 'text/plain;charset=UTF-8' },
        })
      ).status,
    ).toBe(201);
    expect(storedEvents(dbPath)).toHaveLength(2);
    expect(server.output()).not.toMatch(/error/i);
  }, 60_000);

  it('stores nothing for a reader who sends Sec-GPC: 1 or DNT: 1', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath);
    expect((await sendEvent(server, click(2, 'email'), { 'Sec-GPC': '1' })).status).toBe(204);
    expect((await sendEvent(server, pageView(2), { DNT: '1' })).status).toBe(204);
    expect(storedEvents(dbPath)).toEqual([]);
  }, 60_000);

  it('refuses a client that sends too much with 429, and stores only what it allowed', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, { REEKS_EVENTS_PER_MINUTE: '5' });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await sendEvent(server, pageView(1))).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    expect(storedEvents(dbPath)).toHaveLength(5);
  }, 60_000);

  it('stores only the day and what the event says: no address, no user agent, no time', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath);
    const referrer = 'https://www.example.org/pad?geheim=1';
    await sendEvent(
      server,
      { ...click(3, 'linkedin'), referrer },
      { 'User-Agent': 'Mozilla/5.0 Testbrowser' },
    );
    const [row] = storedEvents(dbPath);
    expect(Object.keys(row!)).toEqual([
      ...['id', 'day', 'type', 'path', 'author', 'series', 'part', 'channel'],
      ...['source', 'medium', 'campaign', 'read_on'],
    ]);
    expect(row).toMatchObject({
      type: 'contact_click',
      channel: 'linkedin',
      part: 3,
      path: partPaths[2],
      source: 'example.org',
    });
    expect(JSON.stringify(row)).not.toMatch(/geheim|Testbrowser/);
    expect(row!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }, 60_000);
});

describe('the report on the production server', () => {
  const login = (user: string, password: string) => ({
    Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  });

  it('does not exist without STATS_USER and STATS_PASSWORD, and npm start says how to turn it on', async () => {
    const server = await serve(tempDatabase());
    for (const path of ['/stats/', '/stats/export.csv', '/stats/export.json']) {
      const response = await fetch(`${server.url}${path}`, {
        headers: login('marketing', 'een lang geheim'),
      });
      expect(response.status).toBe(404);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    expect(server.output()).toContain('Report: off');
    expect(server.output()).toContain('STATS_USER=marketing STATS_PASSWORD=');
  }, 60_000);

  it('asks for a login, refuses wrong credentials, and is never cached or indexed', async () => {
    const server = await serve(tempDatabase(), {
      STATS_USER: 'marketing',
      STATS_PASSWORD: 'een lang geheim',
    });
    expect(server.output()).toContain('Report: on at /stats/');
    // Two wrong logins in all: five would lock this client out (src/server/server-hardening.integration.test.ts).
    const wrong = [login('marketing', 'fout'), login('Marketing', 'een lang geheim')];
    for (const path of ['/stats/', '/stats/?dagen=7', '/stats/export.csv', '/stats/export.json?dagen=90']) {
      for (const headers of [{}, ...(path === '/stats/' ? wrong : [])]) {
        const response = await fetch(`${server.url}${path}`, { headers });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
      }
      const response = await fetch(`${server.url}${path}`, {
        headers: login('marketing', 'een lang geheim'),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-robots-tag')).toContain('noindex');
    }
    const wrongPeriod = await fetch(`${server.url}/stats/?dagen=14`, {
      headers: login('marketing', 'een lang geheim'),
    });
    expect(wrongPeriod.status).toBe(400);
    expect(await wrongPeriod.text()).toContain('Kies een periode van 7, 30, 90 dagen');
  }, 60_000);
});
