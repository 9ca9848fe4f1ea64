import { describe, expect, it } from 'vitest';
import { checkPreviewToken, previewLink, previewToken, tokenOfPath } from './preview-links.ts';
import { deriveKeys } from './secrets.ts';

const keys = deriveKeys('een geheim van tweeëndertig tekens of meer');
const postId = 'digitale-transformatie/concept-vierde-deel';
const now = new Date('2026-12-07T10:00:00Z');
const inAWeek = new Date('2026-12-14T10:00:00Z');

describe('the preview link', () => {
  it('names its post until it expires, and not after', () => {
    const token = previewToken(keys, postId, inAWeek);
    expect(checkPreviewToken(keys, token, now)).toEqual({ kind: 'valid', postId, expiresAt: inAWeek });
    expect(checkPreviewToken(keys, token, new Date('2026-12-14T09:59:59Z')).kind).toBe('valid');
    expect(checkPreviewToken(keys, token, inAWeek)).toEqual({ kind: 'expired', postId });
  });

  it('is refused when any character of it is changed', () => {
    const token = previewToken(keys, postId, inAWeek);
    for (const at of [0, 5, token.indexOf('.') - 1, token.indexOf('.') + 1, token.length - 1]) {
      const other = token[at] === 'A' ? 'B' : 'A';
      const altered = `${token.slice(0, at)}${other}${token.slice(at + 1)}`;
      expect(checkPreviewToken(keys, altered, now)).toEqual({ kind: 'invalid' });
    }
  });

  it('is refused with a later expiry or another post in it, under the old signature', () => {
    const [, signature] = previewToken(keys, postId, inAWeek).split('.');
    const forge = (data: object) => `${Buffer.from(JSON.stringify(data)).toString('base64url')}.${signature}`;
    expect(checkPreviewToken(keys, forge({ p: postId, e: 4_102_444_800 }), now).kind).toBe('invalid');
    expect(
      checkPreviewToken(keys, forge({ p: 'een-ander-deel', e: inAWeek.getTime() / 1000 }), now).kind,
    ).toBe('invalid');
  });

  it('is refused when signed with another secret, or not a token at all', () => {
    const other = deriveKeys('een ander geheim van tweeëndertig tekens of meer');
    expect(checkPreviewToken(keys, previewToken(other, postId, inAWeek), now).kind).toBe('invalid');
    for (const junk of [undefined, '', 'abc', 'a.b', `${'a'.repeat(2000)}.${'b'.repeat(43)}`, '..'])
      expect(checkPreviewToken(keys, junk, now).kind).toBe('invalid');
  });

  it('lasts the days asked for, from now', () => {
    const { url, expiresAt } = previewLink(keys, 'https://reeks.example.nl', postId, 3, now);
    expect(expiresAt).toEqual(new Date('2026-12-10T10:00:00Z'));
    const path = new URL(url).pathname;
    expect(url.startsWith('https://reeks.example.nl/voorbeeld/')).toBe(true);
    expect(checkPreviewToken(keys, tokenOfPath(path), now)).toEqual({ kind: 'valid', postId, expiresAt });
    expect(tokenOfPath('/voorbeeld/')).toBeUndefined();
    expect(tokenOfPath('/voorbeeld/a/b/')).toBeUndefined();
  });
});
