// The read-only link for an author: a signed, expiring token naming one author, which opens
// /stats/auteur/ with that author's parts' figures and nothing else (no messages, no addresses),
// without the report's password. Made in the report area (/stats/auteurslink/) or by
// `npm run stats -- --link <author>`. Signed with HMAC-SHA256 under a key derived from the one
// secret and REEKS_REPORT_LINK_GENERATION (src/server/secrets.ts): raising the generation revokes
// every author's link at once. An altered, expired or revoked link is the site's 404.
import type { Sql } from './database.ts';
import { open as openToken, seal } from './follow-links.ts';
import { generationKey, type Keys } from './secrets.ts';

/** Where the author's view is served. */
export const authorViewPath = '/stats/auteur/';
/** Where whoever has the report's login makes a link. */
export const authorLinkFormPath = '/stats/auteurslink/';

/** A link lasts this many days unless asked otherwise, and at most `maxLinkDays`. */
export const defaultLinkDays = 90;
export const maxLinkDays = 366;

const day = 86_400_000;

/** Author ids are file names: lowercase words joined by hyphens (src/content.config.ts). */
const authorId = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

interface LinkPayload {
  /** The author's id. */
  a: string;
  /** Expires at, in milliseconds since 1970. */
  x: number;
}

const keyOf = (keys: Keys, generation: number) => generationKey(keys, 'report-link', generation);

/** The token of a link for `author` that works `days` days from `now`. */
export function authorLinkToken(
  keys: Keys,
  generation: number,
  { author, days = defaultLinkDays, now = new Date() }: { author: string; days?: number; now?: Date },
): string {
  if (!authorId.test(author)) throw new Error(`not an author id: ${JSON.stringify(author)}`);
  if (!Number.isInteger(days) || days < 1 || days > maxLinkDays)
    throw new Error(`a link lasts 1 to ${maxLinkDays} days, not ${days}`);
  const payload: LinkPayload = { a: author, x: now.getTime() + days * day };
  return seal(keyOf(keys, generation), payload);
}

/**
 * The author a link's token grants, or undefined: not signed by this server under this
 * generation, altered, or expired at `now`.
 */
export function checkAuthorLink(
  keys: Keys,
  generation: number,
  token: string | null | undefined,
  now = new Date(),
): { author: string; expiresAt: Date } | undefined {
  const value = openToken(keyOf(keys, generation), token) as Partial<LinkPayload> | undefined;
  if (!value || typeof value !== 'object') return undefined;
  const { a, x } = value;
  if (typeof a !== 'string' || !authorId.test(a) || typeof x !== 'number' || !Number.isFinite(x))
    return undefined;
  if (now.getTime() >= x) return undefined;
  return { author: a, expiresAt: new Date(x) };
}

/** The whole link, on the site's public address. */
export const authorLinkUrl = (siteUrl: string, token: string) =>
  `${new URL(authorViewPath, siteUrl).href}?link=${encodeURIComponent(token)}`;

/** The paths of every page the server has known for `author`: their parts and their author page. */
export async function authorPaths(sql: Sql, author: string): Promise<Set<string>> {
  const rows = await sql.all<{ path: string }>('SELECT path FROM pages WHERE author = ?', [author]);
  return new Set(rows.map((row) => row.path));
}

/** The authors the server knows from its pages table, with their names (their author page's title). */
export async function knownAuthors(sql: Sql): Promise<{ id: string; name: string }[]> {
  const rows = await sql.all<{ id: string; name: string | null }>(
    `SELECT author AS id, MAX(CASE WHEN kind = 'author' THEN title END) AS name FROM pages
     GROUP BY author ORDER BY author`,
  );
  return rows.map((row) => ({ id: row.id, name: row.name ?? row.id }));
}

/** Headers on the author's view: private, never cached or indexed, and no referrer leaves it with the token. */
export const authorViewHeaders = {
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex',
  'Referrer-Policy': 'no-referrer',
} as const;
