import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { createReportGate, hasCredentials } from './report-auth.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
const expected = { user: 'marketing', password: 'p@ss:wörd' };

describe('hasCredentials', () => {
  it('accepts the right user and password, a colon and non-ASCII in the password included', () => {
    expect(hasCredentials(basic('marketing:p@ss:wörd'), expected)).toBe(true);
    expect(hasCredentials(`basic  ${basic('marketing:p@ss:wörd').slice(6)}`, expected)).toBe(true);
  });

  it.each([
    ['no header', null],
    ['an empty header', ''],
    ['a wrong password', basic('marketing:p@ss:word')],
    ['a wrong user', basic('Marketing:p@ss:wörd')],
    ['no colon', basic('marketingp@ss:wörd'.replace(':', ''))],
    ['only the user', basic('marketing')],
    ['the password as user', basic('p@ss:wörd:marketing')],
    ['another scheme', `Bearer ${basic('marketing:p@ss:wörd').slice(6)}`],
    ['garbage', 'Basic %%%'],
  ])('refuses %s', (_, header) => {
    expect(hasCredentials(header, expected)).toBe(false);
  });
});

describe.each(testedDatabases())('the report gate on %s', (kind) => {
  let database: Database;
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await database.close();
  });
  const credentials = { user: 'marketing', password: 'een lang geheim' };
  const right = basic('marketing:een lang geheim');
  const request = (authorization?: string) =>
    new Request('http://localhost/stats/', { headers: authorization ? { authorization } : {} });
  function gate(on = true, { turnMs = 1000, now = Date.now } = {}) {
    const log: string[] = [];
    const refuse = createReportGate({
      credentials: on ? credentials : undefined,
      database,
      maxFailures: 5,
      windowMs: 15 * 60_000,
      globalFailures: 30,
      turnMs,
      maxWaitMs: 10 * turnMs,
      log: (line) => log.push(line),
      now,
    });
    return { refuse, log };
  }

  it('answers 404 when the report is not configured', async () => {
    const response = await gate(false).refuse(request(right), '203.0.113.7');
    expect(response?.status).toBe(404);
    expect(response?.headers.get('cache-control')).toBe('no-store');
  });

  it('asks for a login with 401 and WWW-Authenticate, never cached or indexed', async () => {
    const { refuse } = gate();
    for (const response of [
      await refuse(request(), '203.0.113.7'),
      await refuse(request(basic('marketing:fout')), '203.0.113.7'),
    ]) {
      expect(response?.status).toBe(401);
      expect(response?.headers.get('www-authenticate')).toMatch(/^Basic realm="Statistieken"/);
      expect(response?.headers.get('cache-control')).toBe('no-store');
      expect(response?.headers.get('x-robots-tag')).toContain('noindex');
    }
  });

  it('lets the right credentials through', async () => {
    expect(await gate().refuse(request(right), '203.0.113.7')).toBeUndefined();
  });

  it('refuses a client after five wrong logins with 429 and Retry-After, logs it once, and lets others in', async () => {
    const { refuse, log } = gate();
    const attacker = '198.51.100.9';
    const statuses = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await refuse(request(basic(`marketing:gok${i}`)), attacker))?.status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const blocked = await refuse(request(right), attacker);
    expect(blocked?.status).toBe(429);
    expect(Number(blocked?.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(log).toEqual([`Report: too many wrong logins from ${attacker}; refused for 15 minutes.`]);
    expect(log.join()).not.toContain('gok');
    // Marketing, from its own address, still gets in.
    expect(await refuse(request(right), '203.0.113.7')).toBeUndefined();
  });

  it('does not count the browser asking without credentials, as it does before the prompt', async () => {
    const { refuse } = gate();
    for (let i = 0; i < 10; i++) expect((await refuse(request(), '203.0.113.7'))?.status).toBe(401);
    expect(await refuse(request(right), '203.0.113.7')).toBeUndefined();
  });

  it('makes every login wait its turn after 30 wrong ones in a minute from all clients, and logs it once', async () => {
    let time = Date.parse('2026-12-07T10:00:00Z');
    const { refuse, log } = gate(true, { turnMs: 50, now: () => time });
    // A crowd: each address guesses once, so no one of them is ever refused on its own.
    for (let i = 0; i < 30; i++)
      expect((await refuse(request(basic(`marketing:gok${i}`)), `2001:db8:${i}::`))?.status).toBe(401);
    expect(log).toEqual([]);
    // From now on the guesses are answered one a turn, however many come at once.
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 14 }, (_, i) => refuse(request(basic(`marketing:meer${i}`)), `198.51.100.${i}`)),
    );
    const waited = performance.now() - started;
    // Eleven turns fit in the longest wait; which logins get them is the order they reach the database.
    expect(answers.map((answer) => answer?.status).sort()).toEqual([...Array(11).fill(401), 429, 429, 429]);
    expect(waited).toBeGreaterThanOrEqual(450);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^Report: 30 or more wrong logins within a minute from all clients together/);
    expect(log.join()).not.toMatch(/198\.51|2001:db8/);
    // The right password waits its turn too, and then gets in.
    time += 600;
    expect(await refuse(request(right), '203.0.113.7')).toBeUndefined();
    // Two quiet minutes later, logins are answered at once again.
    time += 2 * 60_000 + 1;
    const quick = performance.now();
    expect(await refuse(request(right), '203.0.113.7')).toBeUndefined();
    expect(performance.now() - quick).toBeLessThan(40);
  });
});

describe.each(testedDatabases())('the report gate of two processes on one %s database', (kind) => {
  it('counts wrong logins once for both: a client refused by one is refused by the other', async () => {
    const database = await openTestDatabase(kind);
    try {
      const gateOf = () =>
        createReportGate({
          credentials: { user: 'marketing', password: 'een lang geheim' },
          database,
          maxFailures: 5,
          windowMs: 15 * 60_000,
          globalFailures: 30,
          turnMs: 1000,
          maxWaitMs: 10_000,
          log: () => {},
        });
      const [first, second] = [gateOf(), gateOf()];
      const guess = (i: number) =>
        new Request('http://localhost/stats/', {
          headers: { authorization: `Basic ${Buffer.from(`marketing:gok${i}`).toString('base64')}` },
        });
      const statuses = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await (i % 2 ? second : first)(guess(i), '198.51.100.9'))?.status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    } finally {
      await database.close();
    }
  });
});
