// The message route on its own, on each database (SQLite in memory, PostgreSQL when the tests
// have one), with a clock the test sets.
// src/server/message-form.integration.test.ts runs it on the built server with a real database file.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SitePage } from '../lib/site-page.ts';
import type { Message } from '../lib/message-form.ts';
import type { Database } from './database.ts';
import { formTokenPlaceholder } from '../lib/message-form.ts';
import { issueFormToken } from './form-token.ts';
import { createMessageReceiver, messageJson, wantsJson, type MessageOutcome } from './message-receiver.ts';
import { createRateLimiter } from './rate-limit.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

const page: SitePage = {
  path: '/reeks/twee/',
  kind: 'part',
  title: 'Twee',
  author: 'job',
  series: 'reeks',
  seriesTitle: 'Reeks',
  part: 2,
  channels: ['email'],
  authorName: 'Job Coenen',
  authorEmail: 'job@example.com',
};
const secret = 'geheim';
const served = Date.parse('2024-05-10T22:00:00Z');
const fields = {
  page: page.path,
  name: 'Anna',
  email: 'anna@example.nl',
  question: 'Hoe begin ik?',
  consent: 'ja',
  website: '',
};

let db: Database;

function setup({ limit = 100, seconds = 60 } = {}) {
  const stored: [Message, SitePage][] = [];
  const receive = createMessageReceiver({
    database: db,
    pages: new Map([[page.path, page]]),
    limiter: createRateLimiter({ limit }),
    secret,
    timeZone: 'Europe/Amsterdam',
    maxBodyBytes: 4096,
    bodyTimeoutMs: 10_000,
    minFillMs: 3000,
    maxFormAgeMs: 24 * 3600_000,
    onStored: (message, from) => stored.push([message, from]),
    now: () => new Date(served + seconds * 1000),
  });
  const messages = () =>
    db.all('SELECT path, author, series, part, name, email, question FROM messages ORDER BY id');
  const events = () => db.all('SELECT day, type, channel, path FROM events ORDER BY id');
  return { receive, messages, events, stored };
}

const token = issueFormToken(secret, served);

function post(body: Record<string, string> | string, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : new URLSearchParams({ token, ...body }).toString();
  return new Request('http://localhost/berichten/', {
    method: 'POST',
    body: text,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

describe.each(testedDatabases())('the message receiver on %s', (kind) => {
  beforeEach(async () => {
    db = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await db.close();
  });

  describe('receiving a message', () => {
    it('stores a valid message with its part, counts a contact click by message, and hands it on for the e-mail', async () => {
      const { receive, messages, events, stored } = setup();
      const outcome = await receive(post(fields), '203.0.113.7');
      expect(outcome).toEqual({ kind: 'sent', page });
      expect(await messages()).toEqual([
        {
          path: page.path,
          author: 'job',
          series: 'reeks',
          part: 2,
          name: 'Anna',
          email: 'anna@example.nl',
          question: 'Hoe begin ik?',
        },
      ]);
      expect(await events()).toEqual([
        { day: '2024-05-11', type: 'contact_click', channel: 'message', path: page.path },
      ]);
      expect(stored).toEqual([[{ name: 'Anna', email: 'anna@example.nl', question: 'Hoe begin ik?' }, page]]);
    });

    it("counts the message toward the source of the reader's view: the tags of the part's address, else the referrer's host", async () => {
      const { receive } = setup();
      const sources = () => db.all('SELECT source, medium, campaign FROM events ORDER BY id');
      const partAddress = `http://localhost${page.path}?utm_source=Nieuwsbrief&utm_campaign=najaar`;
      await receive(
        post(
          { ...fields, referrer: 'https://www.example.org/pad?geheim=1' },
          { referer: partAddress, host: 'localhost' },
        ),
        'a',
      );
      await receive(
        post(
          {
            ...fields,
            token: issueFormToken(secret, served + 1),
            referrer: 'https://www.example.org/pad?geheim=1',
          },
          { host: 'localhost' },
        ),
        'a',
      );
      await receive(
        post(
          { ...fields, token: issueFormToken(secret, served + 2), referrer: 'geen adres' },
          { host: 'localhost' },
        ),
        'a',
      );
      expect(await sources()).toEqual([
        { source: 'nieuwsbrief', medium: null, campaign: 'najaar' },
        { source: 'example.org', medium: null, campaign: null },
        { source: 'direct', medium: null, campaign: null },
      ]);
      expect(JSON.stringify(await db.all('SELECT * FROM events'))).not.toContain('geheim');
    });

    it('gives the form back with Dutch errors per field, the input kept and a fresh token, storing nothing', async () => {
      const { receive, messages, stored } = setup();
      const outcome = await receive(post({ ...fields, email: 'anna-at-gemeente', consent: '' }), 'a');
      expect(outcome).toMatchObject({
        kind: 'returned',
        status: 422,
        input: { name: 'Anna', email: 'anna-at-gemeente', question: 'Hoe begin ik?', consent: true },
        errors: { email: 'Vul een geldig e-mailadres in, zoals naam@gemeente.nl.' },
      });
      const { consent: _, ...withoutConsent } = fields;
      expect(await receive(post(withoutConsent), 'a')).toMatchObject({
        errors: { consent: /privacyverklaring/ },
        input: { consent: false },
      });
      // The form keeps the moment it was served: a quick correction is not taken for a bot.
      expect((outcome as { token: string }).token).toBe(token);
      expect(await messages()).toEqual([]);
      expect(stored).toEqual([]);
    });

    it.each([
      ['a filled-in honeypot', () => post({ ...fields, website: 'https://spam.example' }), 60],
      ['a form sent too soon after the page was served', () => post(fields), 2],
    ])('answers %s as a success, and stores and sends nothing', async (_, request, seconds) => {
      const { receive, messages, events, stored } = setup({ seconds });
      expect(await receive(request(), 'a')).toEqual({ kind: 'sent', page });
      expect([await messages(), await events(), stored]).toEqual([[], [], []]);
    });

    it('tells a person who sends an unfinished form too soon what is missing, rather than thanking them', async () => {
      const { receive } = setup({ seconds: 1 });
      expect(await receive(post({ ...fields, question: '' }), 'a')).toMatchObject({
        kind: 'returned',
        status: 422,
        errors: { question: 'Vul je vraag in.' },
      });
    });

    it.each<[string, { seconds?: number }, string | undefined]>([
      ['an expired form', { seconds: 25 * 3600 }, token],
      ['a made-up token', {}, `${'0'.repeat(13)}.${'a'.repeat(43)}`],
      ['the placeholder of a page served without npm start', {}, formTokenPlaceholder],
      ['no token at all', {}, undefined],
    ])('gives the form back for %s, so the reader sends it again', async (_, options, formToken) => {
      const { receive, messages } = setup(options);
      const body = new URLSearchParams({ ...fields, ...(formToken ? { token: formToken } : {}) }).toString();
      const outcome = await receive(post(body), 'a');
      expect(outcome).toMatchObject({
        kind: 'returned',
        status: 422,
        errors: {},
        notice: 'Dit formulier was verlopen. Controleer je bericht en verstuur het opnieuw.',
        input: { name: 'Anna' },
      });
      expect(await messages()).toEqual([]);
      // With a new token, sent once the reader has checked it, the message goes through.
      const renewed = (outcome as { token: string }).token;
      expect(renewed).not.toBe(formToken);
      const { receive: later } = setup({ seconds: (options.seconds ?? 60) + 10 });
      expect(
        await later(post(new URLSearchParams({ ...fields, token: renewed }).toString()), 'a'),
      ).toMatchObject({ kind: 'sent' });
    });

    it('stores a form sent twice once, and answers the second as the first', async () => {
      const { receive, messages } = setup();
      expect(await receive(post(fields), 'a')).toMatchObject({ kind: 'sent' });
      expect(await receive(post(fields), 'a')).toMatchObject({ kind: 'sent' });
      expect(await messages()).toHaveLength(1);
    });

    it('answers 429 with the input kept once a client has sent its share, and keeps serving others', async () => {
      const { receive, messages } = setup({ limit: 2 });
      const outcomes: MessageOutcome[] = [];
      // Three forms, each served on its own.
      for (let i = 0; i < 3; i++)
        outcomes.push(
          await receive(
            post({ ...fields, question: `vraag ${i}`, token: issueFormToken(secret, served - i - 1) }),
            'a',
          ),
        );
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(['sent', 'sent', 'returned']);
      expect(outcomes[2]).toMatchObject({
        status: 429,
        input: { question: 'vraag 2' },
        notice: /Probeer het over \d+ minuu?te?n? opnieuw/,
      });
      expect(await receive(post(fields), 'b')).toMatchObject({ kind: 'sent' });
      expect(await messages()).toHaveLength(3);
    });

    it('keeps the message but counts no click for a reader who asks not to be tracked', async () => {
      const { receive, messages, events } = setup();
      await receive(post(fields, { 'sec-gpc': '1' }), 'a');
      expect([(await messages()).length, (await events()).length]).toEqual([1, 0]);
    });

    it.each([
      ['multipart', post(fields, { 'content-type': 'multipart/form-data; boundary=x' }), 415],
      ['JSON', post(JSON.stringify(fields), { 'content-type': 'application/json' }), 415],
      ['a declared size over the limit', post(fields, { 'content-length': '4097' }), 413],
      ['a body over the limit', post({ ...fields, question: 'a'.repeat(5000) }), 413],
      [
        'invalid UTF-8',
        new Request('http://localhost/berichten/', {
          method: 'POST',
          body: new Uint8Array([0x6e, 0x3d, 0xff]),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        400,
      ],
      ['no page', post({ ...fields, page: '' }), 400],
      ['a page that is not a part', post({ ...fields, page: '/' }), 400],
    ])('refuses %s, storing nothing', async (_, request, status) => {
      const { receive, messages } = setup();
      const outcome = await receive(request, 'a');
      expect(outcome).toMatchObject({ kind: 'refused', status });
      expect(await messages()).toEqual([]);
    });

    it('gives the form back with a 503, not a 500, when the database cannot store the message', async () => {
      const { receive, stored } = setup();
      await db.close();
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      const outcome = await receive(post(fields), 'a');
      error.mockRestore();
      db = await openTestDatabase(kind);
      expect(outcome).toMatchObject({ kind: 'returned', status: 503, input: { question: 'Hoe begin ik?' } });
      expect(stored).toEqual([]);
    });
  });

  describe('answers for the form script', () => {
    it('are asked for with Accept: application/json', () => {
      expect(wantsJson(post(fields, { accept: 'application/json' }))).toBe(true);
      expect(wantsJson(post(fields, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }))).toBe(false);
      expect(wantsJson(post(fields))).toBe(false);
    });

    it('carry the errors, a fresh token and Retry-After, and are never cached', async () => {
      const { receive } = setup({ limit: 1 });
      const sent = messageJson(await receive(post(fields), 'a'));
      expect([sent.status, await sent.json()]).toEqual([200, { sent: true }]);
      const limited = messageJson(await receive(post(fields), 'a'));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.headers.get('cache-control')).toBe('no-store');
      expect(await limited.json()).toMatchObject({
        errors: {},
        notice: expect.stringContaining('Probeer het'),
        token: expect.any(String),
      });
    });
  });
});
