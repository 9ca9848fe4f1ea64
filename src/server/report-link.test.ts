import { describe, expect, it } from 'vitest';
import { authorLinkToken, authorLinkUrl, checkAuthorLink } from './report-link.ts';
import { deriveKeys } from './secrets.ts';

const keys = deriveKeys('s'.repeat(32));
const now = new Date('2026-11-30T09:00:00Z');
const day = 86_400_000;

describe('the author link', () => {
  it('grants its author until it expires, 90 days by default', () => {
    const token = authorLinkToken(keys, 1, { author: 'job-coenen', now });
    expect(checkAuthorLink(keys, 1, token, now)).toEqual({
      author: 'job-coenen',
      expiresAt: new Date(now.getTime() + 90 * day),
    });
    expect(checkAuthorLink(keys, 1, token, new Date(now.getTime() + 90 * day - 1))?.author).toBe(
      'job-coenen',
    );
    expect(checkAuthorLink(keys, 1, token, new Date(now.getTime() + 90 * day))).toBeUndefined();
    const short = authorLinkToken(keys, 1, { author: 'job-coenen', days: 2, now });
    expect(checkAuthorLink(keys, 1, short, new Date(now.getTime() + 3 * day))).toBeUndefined();
  });

  it('is refused when altered, under another generation or another secret', () => {
    const token = authorLinkToken(keys, 1, { author: 'job-coenen', now });
    const [payload, signature] = token.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ a: 'mira-jansen', x: now.getTime() + day })).toString(
      'base64url',
    );
    expect(checkAuthorLink(keys, 1, `${other}.${signature}`, now)).toBeUndefined();
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    expect(checkAuthorLink(keys, 1, `${payload}.${flipped}`, now)).toBeUndefined();
    expect(checkAuthorLink(keys, 2, token, now)).toBeUndefined();
    expect(checkAuthorLink(deriveKeys('t'.repeat(32)), 1, token, now)).toBeUndefined();
    for (const wrong of [null, '', 'x', `${payload}.`, '.'.repeat(3000), `${payload}.${signature}.x`])
      expect(checkAuthorLink(keys, 1, wrong, now)).toBeUndefined();
  });

  it('takes only author ids and days from 1 to 366', () => {
    expect(() => authorLinkToken(keys, 1, { author: 'Job Coenen', now })).toThrow(/author id/);
    expect(() => authorLinkToken(keys, 1, { author: 'job', days: 0, now })).toThrow(/1 to 366/);
    expect(() => authorLinkToken(keys, 1, { author: 'job', days: 367, now })).toThrow(/1 to 366/);
  });

  it('is a link to /stats/auteur/ on the public address', () => {
    expect(authorLinkUrl('https://reeks.example.com', 'abc.def')).toBe(
      'https://reeks.example.com/stats/auteur/?link=abc.def',
    );
  });
});
