// The previews a release holds, and the answer to a preview link (docs/previews.md).
// GET /voorbeeld/<token>/ in the worker (src/server/serve.ts), before Astro: a valid link shows the
// preview prerendered by the build (<release>/server/previews/<key>.html), never cached, never
// indexed, sending no referrer; a post published since goes to its live page (303); a forged,
// altered or expired link, or one for a post this release has no preview of, gets the 404 page.
// /stats/voorbeelden/ lists the same previews (src/pages/stats/voorbeelden.astro).
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { previewFolder, previewIndexFile, type PreviewEntry, type PreviewIndex } from '../lib/previews.ts';
import { checkPreviewToken, tokenOfPath } from './preview-links.ts';

export { previewLinkPrefix } from './preview-links.ts';
import type { Keys } from './secrets.ts';

export interface Previews {
  /** Drafts first, then scheduled posts by date. */
  list: readonly PreviewEntry[];
  byId: ReadonlyMap<string, PreviewEntry>;
  /** A published post's address by its id. */
  published: Readonly<Record<string, string>>;
  /** The preview page of an entry, as the build wrote it; undefined when its file is gone. */
  page: (entry: PreviewEntry) => Buffer | undefined;
  policy: (entry: PreviewEntry) => string | undefined;
}

/** The previews of the build in `buildDir`; none for a build made before previews were. */
export function loadPreviews(buildDir: string): Previews {
  const folder = join(buildDir, 'server', previewFolder);
  const indexFile = join(folder, previewIndexFile);
  const index: PreviewIndex = existsSync(indexFile)
    ? (JSON.parse(readFileSync(indexFile, 'utf8')) as PreviewIndex)
    : { previews: [], published: {} };
  const list = [...index.previews].sort(
    (a, b) =>
      Number(b.draft) - Number(a.draft) ||
      a.date.localeCompare(b.date) ||
      a.title.localeCompare(b.title, 'nl'),
  );
  return {
    list,
    byId: new Map(list.map((entry) => [entry.id, entry])),
    published: index.published,
    page(entry) {
      try {
        return readFileSync(join(folder, `${entry.key}.html`));
      } catch {
        return undefined;
      }
    },
    policy: (entry) => index.policies?.[entry.key],
  };
}

const previewsKey = Symbol.for('reeks.previews');
type WithPreviews = typeof globalThis & { [previewsKey]?: Previews };

/** The served release's previews, for the routes in Astro's bundle (which has its own copy of this module). */
export function providePreviews(previews: Previews): void {
  (globalThis as WithPreviews)[previewsKey] = previews;
}

/** The previews `npm start` provided; in `npm run dev`, those of the last production build in dist/. */
export function providedPreviews(): Previews {
  return (globalThis as WithPreviews)[previewsKey] ?? loadPreviews('dist');
}

/** Headers on every answer to a preview link, the 404 too: the token must not travel on. */
export const previewHeaders = {
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'Referrer-Policy': 'no-referrer',
} as const;

export interface PreviewRoute {
  previews: Previews;
  keys: Keys;
  notFoundPage: Buffer;
  now?: () => Date;
}

/** The route for the release in `buildDir`; its previews are provided to the report's routes too. */
export function previewRoute(buildDir: string, keys: Keys, notFoundPage: Buffer): PreviewRoute {
  const previews = loadPreviews(buildDir);
  providePreviews(previews);
  return { previews, keys, notFoundPage };
}

/** Answers a request for a path under /voorbeeld/. */
export function answerPreview(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  { previews, keys, notFoundPage, now = () => new Date() }: PreviewRoute,
): void {
  const send = (status: number, headers: Record<string, string>, body?: Buffer | string) => {
    response.writeHead(status, { ...previewHeaders, ...headers });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return send(
      405,
      { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' },
      '405 Method Not Allowed\n',
    );
  const notFound = () => send(404, { 'Content-Type': 'text/html; charset=utf-8' }, notFoundPage);
  // /voorbeeld/<token> without its slash is the same link, as every page of the site is.
  if (!path.endsWith('/') && tokenOfPath(path)) return send(308, { Location: `${path}/` });
  const check = checkPreviewToken(keys, tokenOfPath(path), now());
  if (check.kind !== 'valid') return notFound();
  const live = previews.published[check.postId];
  if (live) return send(303, { Location: live });
  const entry = previews.byId.get(check.postId);
  const page = entry && previews.page(entry);
  if (!entry || !page) return notFound();
  const policy = previews.policy(entry);
  send(
    200,
    {
      'Content-Type': 'text/html; charset=utf-8',
      ...(policy ? { 'Content-Security-Policy': policy } : {}),
    },
    page,
  );
}
