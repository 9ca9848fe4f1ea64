// The signed link to a preview (docs/previews.md): /voorbeeld/<token>/, where the token holds the
// post's id and the moment the link expires, signed with HMAC-SHA256 under the preview key
// (src/server/secrets.ts). Whoever has the link may read the preview until then; an altered,
// forged or expired link is refused the same way (the 404 page), so a guess learns nothing.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Keys } from './secrets.ts';

/** Where preview links live on the site; `voorbeeld` is a reserved segment (src/site.config.ts). */
export const previewLinkPrefix = '/voorbeeld/';

export type PreviewCheck =
  | { kind: 'valid'; postId: string; expiresAt: Date }
  | { kind: 'expired'; postId: string }
  | { kind: 'invalid' };

const maxTokenLength = 1024;
const day = 24 * 60 * 60 * 1000;

const signatureOf = (keys: Keys, payload: string) =>
  createHmac('sha256', keys.key('preview-link')).update(payload).digest('base64url');

/** The token for `postId`, valid until `expiresAt` (kept to the second). */
export function previewToken(keys: Keys, postId: string, expiresAt: Date): string {
  const payload = Buffer.from(
    JSON.stringify({ p: postId, e: Math.floor(expiresAt.getTime() / 1000) }),
  ).toString('base64url');
  return `${payload}.${signatureOf(keys, payload)}`;
}

/** What a token grants at `now`: only a token this server signed is read at all. */
export function checkPreviewToken(keys: Keys, token: string | undefined, now: Date): PreviewCheck {
  if (!token || token.length > maxTokenLength) return { kind: 'invalid' };
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { kind: 'invalid' };
  const [, payload, signature] = match as unknown as [string, string, string];
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(signatureOf(keys, payload))))
    return { kind: 'invalid' };
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { kind: 'invalid' };
  }
  const { p, e } = (data ?? {}) as { p?: unknown; e?: unknown };
  if (typeof p !== 'string' || !p || typeof e !== 'number' || !Number.isInteger(e))
    return { kind: 'invalid' };
  const expiresAt = new Date(e * 1000);
  return expiresAt.getTime() <= now.getTime()
    ? { kind: 'expired', postId: p }
    : { kind: 'valid', postId: p, expiresAt };
}

/** The link's path for a token. */
export const previewPath = (token: string) => `${previewLinkPrefix}${token}/`;

/** The token in a path such as /voorbeeld/<token>/, or undefined for any other shape. */
export function tokenOfPath(path: string): string | undefined {
  const match = /^\/voorbeeld\/([^/]+)\/?$/.exec(path);
  return match?.[1];
}

/** A full link for `postId` that lasts `days` days from `now`. */
export function previewLink(
  keys: Keys,
  siteUrl: string,
  postId: string,
  days: number,
  now = new Date(),
): { url: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + days * day);
  return { url: new URL(previewPath(previewToken(keys, postId, expiresAt)), siteUrl).href, expiresAt };
}
