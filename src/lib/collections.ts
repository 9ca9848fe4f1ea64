// The content as pages need it: references resolved, reading time computed, drafts and
// scheduled posts left out of production. The only module in src/lib that reads astro:content.
import { getCollection, render, type CollectionEntry } from 'astro:content';
import { paths, publishedAsOf, site } from '../site.config.ts';
import { contactLinks } from './contact.ts';
import type { PageSection } from './reading-depth.ts';
import type { OgCard, SitePage } from './site-page.ts';
import { isPublished, isScheduled } from './publishing.ts';
import { countWords, readingMinutes } from './reading-time.ts';
import { todayIn } from './dates.ts';
import { announcement, byPartNumber, neighbours, seriesOutline, type OutlineEntry } from './series.ts';

export type Author = CollectionEntry<'authors'>;
export type Service = CollectionEntry<'services'>;

export interface Post {
  entry: CollectionEntry<'posts'>;
  slug: string;
  url: string;
  title: string;
  description: string;
  date: Date;
  updated?: Date;
  author: Author;
  services: Service[];
  series?: CollectionEntry<'series'>;
  part?: number;
  readingMinutes: number;
  /** Only ever true in `npm run dev`: production leaves these posts out. */
  draft: boolean;
  scheduled: boolean;
}

export type Part = Post & { series: CollectionEntry<'series'>; part: number };

export interface Series {
  entry: CollectionEntry<'series'>;
  id: string;
  url: string;
  title: string;
  description: string;
  parts: Part[];
  /** Published and announced parts; its length is the N in "Deel X van N". */
  outline: OutlineEntry<Part>[];
}

// One moment for every page of a build, so that no page counts a part as published that another
// leaves out: now, or `REEKS_NOW`. (The built server's routes never read the collections: they
// get what they need from the build's site manifest, src/pages/site-manifest.json.ts.)
const buildTime = publishedAsOf;

function byId<T extends { id: string }>(entries: T[], id: string, kind: string, file?: string): T {
  const found = entries.find((entry) => entry.id === id);
  // The content check reports this before a build; this guards `npm run dev`.
  if (!found) throw new Error(`${file ?? ''}: unknown ${kind} "${id}"`);
  return found;
}

/** The posts whose entries `keep` keeps, newest first. */
async function loadPostsWhere(keep: (entry: CollectionEntry<'posts'>) => boolean): Promise<Post[]> {
  const [entries, authors, services, series] = await Promise.all([
    getCollection('posts'),
    getCollection('authors'),
    getCollection('services'),
    getCollection('series'),
  ]);
  return entries
    .filter(keep)
    .map((entry) => {
      const { data, filePath } = entry;
      const slug = entry.id.split('/').at(-1)!;
      return {
        entry,
        slug,
        url: data.series ? paths.part(data.series, slug) : paths.standalone(slug),
        title: data.title,
        description: data.description,
        date: data.date,
        updated: data.updated,
        author: byId(authors, data.author, 'author', filePath),
        services: data.services.map((id) => byId(services, id, 'service', filePath)),
        series: data.series ? byId(series, data.series, 'series', filePath) : undefined,
        part: data.part,
        readingMinutes: readingMinutes(countWords(entry.body ?? ''), site.wordsPerMinute),
        draft: data.draft,
        scheduled: isScheduled(data, buildTime, site.timeZone),
      };
    })
    .sort((a, b) => b.date.getTime() - a.date.getTime() || a.title.localeCompare(b.title, 'nl'));
}

const loadPosts = () =>
  loadPostsWhere((entry) => import.meta.env.DEV || isPublished(entry.data, buildTime, site.timeZone));

/**
 * One load per production build, shared by every page (thousands of pages must not each redo
 * it); in dev every request sees the files as they are now.
 */
function oncePerBuild<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => (import.meta.env.DEV ? load() : (cached ??= load()));
}

/** Every visible post, newest first. */
export const getPosts = oncePerBuild(loadPosts);

export function isPart(post: Post): post is Part {
  return post.series !== undefined && post.part !== undefined;
}

/** A series with these parts (in reading order) and its outline. */
const seriesOf = (entry: CollectionEntry<'series'>, parts: Part[]): Series => ({
  entry,
  id: entry.id,
  url: paths.series(entry.id),
  title: entry.data.title,
  description: entry.data.description,
  parts,
  outline: seriesOutline(parts, entry.data.plannedParts),
});

/** Every series with its visible parts in reading order, latest first. */
export const getSeries = oncePerBuild(async (): Promise<Series[]> => {
  const [entries, posts] = await Promise.all([getCollection('series'), getPosts()]);
  const partsOf = Map.groupBy(posts.filter(isPart), (part) => part.series.id);
  return entries
    .map((entry) => seriesOf(entry, byPartNumber(partsOf.get(entry.id) ?? [])))
    .filter((series) => series.parts.length > 0)
    .sort((a, b) => b.parts.at(-1)!.date.getTime() - a.parts.at(-1)!.date.getTime());
});

/** Drafts and posts dated after the build's day: what gets a preview (docs/previews.md), newest first. */
export const getPreviewPosts = oncePerBuild(() =>
  loadPostsWhere((entry) => !isPublished(entry.data, buildTime, site.timeZone)),
);

/**
 * The series as a preview of `part` shows it: its published parts with this one in its place, so
 * the outline and "Deel X van N" read as they will once it is published.
 */
export async function getPreviewPartContext(part: Part) {
  const published = (await getSeriesById()).get(part.series.id);
  const parts = byPartNumber([...(published?.parts ?? []).filter((other) => other.part !== part.part), part]);
  return { series: seriesOf(part.series, parts), ...neighbours(parts, part.part) };
}

/** "verwacht in maart 2027" or "binnenkort", for a part that is announced but not out yet. */
export function announcementOf(entry: OutlineEntry<Part>): string {
  return announcement(entry.expected, todayIn(site.timeZone, buildTime));
}

/** The feed of a series, as `<link rel="alternate">` names it. */
export function seriesFeed(series: Series) {
  return { title: `${series.title}: alle delen`, url: paths.seriesFeed(series.id) };
}

/** "Deel 2 van 3" */
export function partLabel(part: number, series: Series): string {
  return `Deel ${part} van ${series.outline.length}`;
}

/** Every visible series by its id. */
export const getSeriesById = oncePerBuild(
  async () => new Map((await getSeries()).map((series) => [series.id, series])),
);

/** The series a part belongs to, with the parts around it. */
export async function getPartContext(part: Part) {
  const series = (await getSeriesById()).get(part.series.id)!;
  return { series, ...neighbours(series.parts, part.part) };
}

/** Authors with at least one visible post, each with their posts: the author pages. */
export async function getAuthorPages(): Promise<{ author: Author; posts: Post[] }[]> {
  const posts = await getPosts();
  const authors = new Map(posts.map((post) => [post.author.id, post.author]));
  return [...authors.values()].map((author) => ({
    author,
    posts: posts.filter((post) => post.author.id === author.id),
  }));
}

/** A page with the contact block: what the collector checks events against and the report shows. */

/** Every page that carries the contact block: all parts and all author pages. */
export async function getContactPages(): Promise<SitePage[]> {
  const channelsOf = (author: Author) => contactLinks(author.data, '').map((link) => link.channel);
  const parts: SitePage[] = await Promise.all(
    (await getPosts()).filter(isPart).map(async (part): Promise<SitePage> => ({
      path: part.url,
      kind: 'part',
      title: part.title,
      author: part.author.id,
      series: part.series.id,
      seriesTitle: part.series.data.title,
      part: part.part,
      channels: channelsOf(part.author),
      authorName: part.author.data.name,
      authorEmail: part.author.data.email,
      sections: await sectionsOf(part.entry),
    })),
  );
  const authors: SitePage[] = (await getAuthorPages()).map(({ author }) => ({
    path: paths.author(author.id),
    kind: 'author',
    title: author.data.name,
    author: author.id,
    channels: channelsOf(author),
    authorName: author.data.name,
    authorEmail: author.data.email,
  }));
  return [...parts, ...authors];
}

/** A post's sections: the h2 headings of its body, as PostLayout.astro renders them, with their ids. */
export async function sectionsOf(entry: CollectionEntry<'posts'>): Promise<PageSection[]> {
  const { headings } = await render(entry);
  return headings
    .filter((heading) => heading.depth === 2)
    .map(({ slug, text }) => ({ id: slug, title: text }));
}

/** Every series with its published parts, for following by e-mail (the server's site manifest). */
export async function getFollowSeries() {
  return (await getSeries()).map((series) => ({
    id: series.id,
    title: series.title,
    parts: series.parts.map((part) => ({
      series: series.id,
      seriesTitle: series.title,
      part: part.part,
      ofParts: series.outline.length,
      path: part.url,
      title: part.title,
      description: part.description,
    })),
  }));
}

/** The social preview card of every series and post, by page URL (drawn by src/pages/og/). */
export async function getOgCards(): Promise<Record<string, OgCard>> {
  const series = await getSeries();
  const seriesById = await getSeriesById();
  const cards: [string, OgCard][] = series.map((item) => [
    item.url,
    { series: 'Reeks', label: `${item.outline.length} delen`, title: item.title, site: site.name },
  ]);
  for (const post of await getPosts()) {
    const inSeries = post.series && seriesById.get(post.series.id);
    cards.push([
      post.url,
      {
        series: inSeries?.title,
        label: inSeries && post.part !== undefined ? partLabel(post.part, inSeries) : undefined,
        title: post.title,
        author: post.author.data.name,
        site: site.name,
      },
    ]);
  }
  return Object.fromEntries(cards);
}

export type AccessibilityStatement = CollectionEntry<'accessibility'>['data'];

/** The accessibility statement (content/toegankelijkheid.yaml), or undefined when there is none. */
export async function getAccessibilityStatement(): Promise<AccessibilityStatement | undefined> {
  return (await getCollection('accessibility'))[0]?.data;
}
