// Previews of drafts and scheduled posts (docs/previews.md): each is prerendered in the same build
// as the site, at a path of the build's own under `previewBuildPath`, and moved out of the public
// files into the server's folder by src/integrations/previews.ts. The server finds a preview by
// the key of its post's id; a signed link (src/server/preview-links.ts) names the post's id.
import { createHash } from 'node:crypto';

/** Where the build renders previews, before they are moved out of dist/client. Never served. */
export const previewBuildPath = '/voorbeeld-bouw/';

/** Where the server keeps the previews, inside a build's server folder: <build>/server/previews/. */
export const previewFolder = 'previews';

/** The file that lists the previews (and the published posts) of a build, in `previewFolder`. */
export const previewIndexFile = 'index.json';

/** The key of a post's preview: a hash of its id, safe as a file name and a URL segment. */
export const previewKey = (postId: string) => createHash('sha256').update(postId).digest('hex').slice(0, 32);

/** A post that has a preview: a draft, or one dated after the build's day. */
export interface PreviewEntry {
  /** The post's content id, e.g. "digitale-transformatie/concept-vierde-deel". */
  id: string;
  key: string;
  title: string;
  /** The address it will have once published. */
  url: string;
  seriesTitle?: string;
  part?: number;
  /** A calendar day, yyyy-mm-dd. */
  date: string;
  draft: boolean;
}

/** What a build tells its server about previews. */
export interface PreviewIndex {
  previews: PreviewEntry[];
  /** Every published post's address by its id: a link to a post published since goes there. */
  published: Record<string, string>;
  /** Each preview's Content-Security-Policy (the hashes of its inline scripts), by key. */
  policies?: Record<string, string>;
}

/** The days a preview link may last: whole days from 1 to 30, 7 when none are asked for. */
export const previewDaysRange = { min: 1, max: 30, default: 7 } as const;

/** The days asked for, or undefined when they are not a whole number from 1 to 30. */
export function previewDays(asked: string | null | undefined): number | undefined {
  const value = asked?.trim();
  if (!value) return previewDaysRange.default;
  if (!/^\d{1,2}$/.test(value)) return undefined;
  const days = Number(value);
  return days >= previewDaysRange.min && days <= previewDaysRange.max ? days : undefined;
}

/** A post named as an editor would: its id, its file's name, or its address. */
export function findPreview(previews: readonly PreviewEntry[], name: string): PreviewEntry | undefined {
  const wanted = name.trim().replace(/\.mdx?$/, '');
  const path = wanted.startsWith('http') ? safePath(wanted) : wanted;
  const withSlashes = `/${path.replace(/^\/+|\/+$/g, '')}/`;
  return (
    previews.find((entry) => entry.id === wanted || entry.key === wanted) ??
    previews.find((entry) => entry.url === withSlashes) ??
    previews.find((entry) => entry.id.split('/').at(-1) === wanted)
  );
}

function safePath(address: string): string {
  try {
    return new URL(address).pathname;
  } catch {
    return address;
  }
}

/** The address of a published post named as an editor would (see findPreview), if there is one. */
export function findPublished(published: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.trim().replace(/\.mdx?$/, '');
  const withSlashes = `/${wanted.replace(/^\/+|\/+$/g, '')}/`;
  return Object.entries(published).find(
    ([id, url]) => id === wanted || url === withSlashes || id.split('/').at(-1) === wanted,
  )?.[1];
}
