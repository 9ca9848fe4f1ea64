import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';
import { createReportGate, hasCredentials } from './report-auth.ts';

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

describe('the report gate', () => {
  const credentials = { user: 'marketing', password: 'een lang geheim' };
  const right = basic('marketing:een lang geheim');
  const request = (authorization?: string) =>
    new Request('http://localhost/stats/', { headers: authorization ? { authorization } : {} });
  function gate(on = true) {
    const log: string[] = [];
    const refuse = createReportGate({
      credentials: on ? credentials : undefined,
      failedLogins: createRateLimiter({ limit: 5, windowMs: 15 * 60_000 }),
      log: (line) => log.push(line),
    });
    return { refuse, log };
  }

  it('answers 404 when the report is not configured', () => {
    const response = gate(false).refuse(request(right), '203.0.113.7');
    expect(response?.status).toBe(404);
    expect(response?.headers.get('cache-control')).toBe('no-store');
  });

  it('asks for a login with 401 and WWW-Authenticate, never cached or indexed', () => {
    const { refuse } = gate();
    for (const response of [
      refuse(request(), '203.0.113.7'),
      refuse(request(basic('marketing:fout')), '203.0.113.7'),
    ]) {
      expect(response?.status).toBe(401);
      expect(response?.headers.get('www-authenticate')).toMatch(/^Basic realm="Statistieken"/);
      expect(response?.headers.get('cache-control')).toBe('no-store');
      expect(response?.headers.get('x-robots-tag')).toContain('noindex');
    }
  });

  it('lets the right credentials through', () => {
    expect(gate().refuse(request(right), '203.0.113.7')).toBeUndefined();
  });

  it('refuses a client after five wrong logins with 429 and Retry-After, logs it once, and lets others in', () => {
    const { refuse, log } = gate();
    const attacker = '198.51.100.9';
    const statuses = Array.from(
      { length: 8 },
      (_, i) => refuse(request(basic(`marketing:gok${i}`)), attacker)?.status,
    );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const blocked = refuse(request(right), attacker);
    expect(blocked?.status).toBe(429);
    expect(Number(blocked?.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(log).toEqual([`Report: too many wrong logins from ${attacker}; refused for 15 minutes.`]);
    expect(log.join()).not.toContain('gok');
    // Marketing, from its own address, still gets in.
    expect(refuse(request(right), '203.0.113.7')).toBeUndefined();
  });

  it('does not count the browser asking without credentials, as it does before the prompt', () => {
    const { refuse } = gate();
    for (let i = 0; i < 10; i++) expect(refuse(request(), '203.0.113.7')?.status).toBe(401);
    expect(refuse(request(right), '203.0.113.7')).toBeUndefined();
  });
});
