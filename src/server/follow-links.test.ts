import { describe, expect, it } from 'vitest';
import { checkConfirmToken, confirmToken } from './follow-links.ts';
import { deriveKeys } from './secrets.ts';

const keys = deriveKeys('een geheim van tweeëndertig tekens of meer');
const request = {
  email: 'anna@gemeente.example.nl',
  series: 'digitale-transformatie',
  from: '/digitale-transformatie/volgen/',
  requestedAt: Date.parse('2024-05-01T08:00:00Z'),
};
const check = (token: string, now = request.requestedAt) =>
  checkConfirmToken(keys, token, { now, maxAgeMs: 7 * 86_400_000 });

describe('the confirmation link', () => {
  it('gives back what it was made from, and expires', () => {
    const token = confirmToken(keys, request);
    expect(check(token)).toEqual({ kind: 'valid', value: request });
    expect(check(token, request.requestedAt + 8 * 86_400_000)).toEqual({ kind: 'expired', value: request });
  });

  it('does not show the address to whoever reads the link, in any decoding', () => {
    const token = confirmToken(keys, request);
    const [payload] = token.split('.');
    for (const text of [
      token,
      Buffer.from(payload!, 'base64url').toString('latin1'),
      decodeURIComponent(token),
    ])
      expect(text).not.toContain(request.email);
    // A fresh IV each time: two links for one request differ.
    expect(confirmToken(keys, request)).not.toBe(token);
  });

  it('is refused when changed, or made with another secret', () => {
    const token = confirmToken(keys, request);
    const flipped = `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
    expect(check(flipped)).toEqual({ kind: 'invalid' });
    const other = confirmToken(deriveKeys('een ander geheim van tweeëndertig tekens of meer'), request);
    expect(check(other)).toEqual({ kind: 'invalid' });
  });
});
