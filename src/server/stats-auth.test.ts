import { describe, expect, it } from 'vitest';
import { hasCredentials, refuseReport, statsCredentials } from './stats-auth.ts';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
const expected = { user: 'marketing', password: 'p@ss:wörd' };

describe('statsCredentials', () => {
  it('is off unless both the user and the password are set', () => {
    expect(statsCredentials({})).toBeUndefined();
    expect(statsCredentials({ STATS_USER: 'marketing' })).toBeUndefined();
    expect(statsCredentials({ STATS_USER: 'marketing', STATS_PASSWORD: '' })).toBeUndefined();
    expect(statsCredentials({ STATS_USER: 'm', STATS_PASSWORD: 'p' })).toEqual({ user: 'm', password: 'p' });
  });
});

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

describe('refuseReport', () => {
  const env = { STATS_USER: 'marketing', STATS_PASSWORD: 'geheim' };
  const request = (authorization?: string) =>
    new Request('http://localhost/stats/', { headers: authorization ? { authorization } : {} });

  it('answers 404 when the report is not configured', () => {
    const response = refuseReport(request(basic('marketing:geheim')), {});
    expect(response?.status).toBe(404);
    expect(response?.headers.get('cache-control')).toBe('no-store');
  });

  it('asks for a login with 401 and WWW-Authenticate, never cached or indexed', () => {
    for (const response of [refuseReport(request(), env), refuseReport(request(basic('marketing:fout')), env)]) {
      expect(response?.status).toBe(401);
      expect(response?.headers.get('www-authenticate')).toMatch(/^Basic realm="Statistieken"/);
      expect(response?.headers.get('cache-control')).toBe('no-store');
      expect(response?.headers.get('x-robots-tag')).toContain('noindex');
    }
  });

  it('lets the right credentials through', () => {
    expect(refuseReport(request(basic('marketing:geheim')), env)).toBeUndefined();
  });
});
