// Keys for Astro's incremental build (`experimental.incrementalBuild`, docs/builds.md): a page
// whose key is the same as in the last build, and whose code (Astro hashes the page's modules
// itself) is too, is not rendered again; its last output is kept. So a key covers everything a
// page shows that is not code: its own entry, the author, services and series it prints, the
// titles and addresses of the parts it links to, announced parts, and the site's settings. What
// is not sure to be covered goes in whole: a page rendered again is slow, a stale page is a bug.
import { createHash } from 'node:crypto';
import { messageForm, publishedAsOf, site } from '../site.config.ts';
import { todayIn } from './dates.ts';

/** A content entry: its digest changes with its file (frontmatter and body). */
export interface KeyedEntry {
  id: string;
  digest?: string | number;
  data: object;
  body?: string;
}

/** A post as pages show it (src/lib/collections.ts: Post). */
export interface KeyedPost {
  entry: KeyedEntry;
  url: string;
  title: string;
  description: string;
  date: Date;
  updated?: Date;
  readingMinutes: number;
  draft: boolean;
  scheduled: boolean;
  author: KeyedEntry;
  services: readonly KeyedEntry[];
  series?: KeyedEntry;
  part?: number;
}

/** A series as pages show it (src/lib/collections.ts: Series). */
export interface KeyedSeries {
  entry: KeyedEntry;
  url: string;
  outline: readonly { part: number; title: string; published?: KeyedPost }[];
}

/**
 * Site-wide settings pages print (name, address, reading speed, how long messages are kept…), and
 * the month of the build: an announced part reads "verwacht in maart 2027" until that month is
 * over, and "binnenkort" after it (announcementOf in collections.ts).
 */
export const siteSettings: object = {
  site,
  messageForm,
  month: todayIn(site.timeZone, publishedAsOf).slice(0, 7),
};

/** Raised with the shape of what pages show; a new version renders every page again once. */
const keyVersion = 'reeks-page-key-1';

/** JSON with the keys of every object in order, so equal data always gives the same text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Map || item instanceof Set)
      throw new Error('A page key cannot hold a Map or a Set: convert it to an array first.');
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** The key of everything in `shown`: a SHA-256 of it as stable JSON. */
export function cacheKey(...shown: unknown[]): string {
  return createHash('sha256')
    .update(stableJson([keyVersion, ...shown]))
    .digest('base64url');
}

/** An entry by its digest and data; without a digest, by its body too. */
function entryShown({ id, digest, data, body }: KeyedEntry) {
  return { id, digest, data, body: digest === undefined ? body : undefined };
}

/** A post shown whole, on its own page: its file, its author, services and series. */
function postShown(post: KeyedPost) {
  return {
    entry: entryShown(post.entry),
    url: post.url,
    readingMinutes: post.readingMinutes,
    draft: post.draft,
    scheduled: post.scheduled,
    author: entryShown(post.author),
    services: post.services.map(entryShown),
    series: post.series && entryShown(post.series),
  };
}

/** A post in a list (PostCard): title, description, dates, reading time, its series and part. */
function cardShown(post: KeyedPost) {
  const { url, title, description, date, updated, readingMinutes, draft, scheduled, part } = post;
  return {
    url,
    title,
    description,
    date,
    updated,
    readingMinutes,
    draft,
    scheduled,
    part,
    series: post.series && entryShown(post.series),
  };
}

const linkShown = (post: KeyedPost | undefined) => post && { url: post.url, title: post.title };

/** A part: the post, its series with every part in the outline, and the parts before and after it. */
export function partPageKey(
  {
    part,
    series,
    previous,
    next,
  }: { part: KeyedPost; series: KeyedSeries; previous?: KeyedPost; next?: KeyedPost },
  settings = siteSettings,
): string {
  const outline = series.outline.map((entry) => ({
    part: entry.part,
    title: entry.title,
    link: linkShown(entry.published),
  }));
  return cacheKey(
    'part',
    settings,
    postShown(part),
    entryShown(series.entry),
    series.url,
    outline,
    linkShown(previous),
    linkShown(next),
  );
}

/** A standalone post. */
export function postPageKey(post: KeyedPost, settings = siteSettings): string {
  return cacheKey('post', settings, postShown(post));
}

/** A series page: the series and every part in its outline, published or announced. */
export function seriesPageKey(series: KeyedSeries, settings = siteSettings): string {
  const outline = series.outline.map((entry) => ({
    part: entry.part,
    title: entry.title,
    card: entry.published && cardShown(entry.published),
  }));
  return cacheKey('series', settings, entryShown(series.entry), series.url, outline);
}

/** An author's or a service's page: the author or service, and the list of their posts. */
export function listPageKey(owner: KeyedEntry, posts: readonly KeyedPost[], settings = siteSettings): string {
  return cacheKey('list', settings, entryShown(owner), posts.map(cardShown));
}
