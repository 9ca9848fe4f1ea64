// The search indexer of a production build, in a thread of its own (search-index.ts starts it):
// reading each page's article and splitting its compounds takes as long as rendering a third of
// the page, and on a machine with two cores the other one has time while Astro renders.
// Pagefind, a process of its own, indexes what this thread hands it; `finish` writes the index.
//
// Pagefind numbers pages in the order it gets them, so they are handed to it in one fixed order,
// whatever order they were rendered or kept in: the order Astro makes the pages in, which the
// build sends before the first page renders (`expect`), then any other page with an article by
// path. A page is handed over as soon as every page before it has been: in a full build, while the
// pages render. An incremental build (docs/builds.md) renders only the pages that changed and
// keeps the others' last output; a kept page's article comes from what the last build left (its
// record) or from the output. The index of an incremental build is then the very one a full build
// makes. When no page with an article, no word of the vocabulary and no code of the indexer
// changed, it is the index of the last build, and that is copied instead of being built again.
import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as pagefind from 'pagefind';
import { buildVocabulary, defaultCompoundOptions } from '../lib/compounds.ts';
import { readPostBodies } from '../lib/content-files.ts';
import { articlePage, compoundAnnotator, indexDocument, locateArticle } from '../lib/search-html.ts';

/**
 * Pagefind weight of compound parts (a whole word weighs 1). Low enough that a page with the word
 * itself ranks above a page where it is only part of a compound, however often that compound occurs.
 */
const compoundPartWeight = 0.1;

/** What marks the part of a page that is indexed (PostLayout.astro); a page without it is not. */
const articleMarker = 'data-pagefind-body';

export interface SearchIndexReport {
  pages: number;
  /** Pages kept from the last build, read from the output rather than handed over as rendered. */
  kept: number;
  /** Whether the index is the last build's, copied because nothing it depends on changed. */
  reused: boolean;
  compounds: number;
  vocabulary: number;
}

/** A page the build will make: its path as Astro names it and its cache key, if it has one. */
export interface ExpectedPage {
  path: string;
  key?: string;
}

/**
 * What the build thread sends: every page the build will make, in the order it makes them
 * (`expect`, once, before any page), a rendered page (`html` its UTF-8 bytes, undefined for what
 * is not a page, a feed say), or once all are made, the folder they are in (`pagesDir`) and
 * where to write the index (`finish`).
 */
export type IndexerMessage =
  { expect: ExpectedPage[] } | { url: string; html?: Uint8Array } | { finish: string; pagesDir: string };
/** What this thread answers to `finish`. */
export type IndexerReply = { report: SearchIndexReport } | { problems: string[] };

const sha256 = (...texts: string[]) =>
  texts.reduce((hash, text) => hash.update(text).update('\0'), createHash('sha256')).digest('hex');

/** The code that decides what the index holds: this indexer, src/lib (search-html.ts, compounds.ts…) and the lockfile (Pagefind). */
async function indexerCode(): Promise<string> {
  const lib = new URL('../lib/', import.meta.url);
  const files = (await readdir(lib))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .sort();
  const sources = await Promise.all([
    readFile(new URL(import.meta.url), 'utf8'),
    ...files.map((file) => readFile(new URL(file, lib), 'utf8')),
    readFile('package-lock.json', 'utf8').catch(() => ''),
  ]);
  return sha256(...sources);
}

/**
 * Copies the folder `from` to `to` by hard links where it can, else by copying: an index has a
 * thousand files and more, and neither copy is ever changed in place (a build writes a new one).
 */
async function linkTree(from: string, to: string) {
  for (const entry of await readdir(from, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const file = join(entry.parentPath, entry.name);
    const copy = join(to, relative(from, file));
    await mkdir(dirname(copy), { recursive: true });
    await link(file, copy).catch(() => copyFile(file, copy));
  }
}

/** A page's address without its trailing slash, as Astro names the pages it will build. */
const pathOf = (url: string) => url.replace(/\/+$/, '') || '/';

/** Every page in `pagesDir` by its path: pages are <path>/index.html (build.format "directory"). */
async function pagesIn(pagesDir: string): Promise<Map<string, { url: string; file: string }>> {
  const files = (await readdir(pagesDir, { recursive: true })).filter(
    (file) => file === 'index.html' || file.endsWith(`${sep}index.html`),
  );
  return new Map(
    files.map((file) => {
      const url = `/${file.slice(0, -'index.html'.length).split(sep).join('/')}`;
      return [pathOf(url), { url, file: join(pagesDir, file) }];
    }),
  );
}

/** A page as the indexer knows it: its URL and, when it has an article, a hash of its HTML. */
interface Page {
  url: string;
  hash?: string;
}

/** What a build leaves for the next one: each page with a cache key, by path, with that key. */
type Record = { [path: string]: Page & { key: string } };

/**
 * Reads what the last build left and removes it: a build that stops before its end leaves none,
 * so the next build never takes a page for one it did not make.
 */
async function takeRecord(file: string): Promise<Map<string, Page & { key: string }>> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  await rm(file, { force: true });
  return new Map(Object.entries(text ? (JSON.parse(text) as Record) : {}));
}

/**
 * Compounds are split with the words of every post's source as the vocabulary, which is known
 * before the first page renders. Problems (Pagefind's, per page) are collected and returned by
 * `finish`, so that the build can list them all.
 *
 * A page with a cache key that the last build made with the same key will most likely be kept:
 * its article, stored by the last build (`articles/`), is handed over in its turn without waiting
 * for the page. Should the page be rendered after all, and differ, the index is built again.
 */
export async function createPageIndexer(contentDir: string, cacheDir: string) {
  const vocabulary = buildVocabulary(readPostBodies(contentDir));
  const annotate = compoundAnnotator(vocabulary, { ...defaultCompoundOptions, weight: compoundPartWeight });
  const code = indexerCode();
  const saved = join(cacheDir, 'search-index');
  const articles = join(saved, 'articles');
  const recordFile = join(saved, 'pages.json');
  const record = await takeRecord(recordFile);
  await mkdir(articles, { recursive: true });

  async function createIndex() {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) {
      await pagefind.close();
      throw new Error(errors.join('\n') || 'Pagefind did not start.');
    }
    problems.push(...errors);
    return index;
  }
  const problems: string[] = [];
  let index = await createIndex();
  let adding: Promise<void>[] = [];
  let added = 0;
  let compounds = 0;

  /** Every page seen this build, by path: rendered, or (once all are made) kept. */
  const pages = new Map<string, Page>();
  /** The article of each rendered page, compounds split, until its turn comes. */
  const waiting = new Map<string, string>();
  /** Each page the last build made with the same cache key, with its article, until its turn comes. */
  const foreseen = new Map<string, Page & { article?: string }>();
  /** The hash of each page whose article was handed over before the page was seen. */
  const handedUnseen = new Map<string, string | undefined>();
  /** Whether a page handed over before it was seen turned out different: the index is then built again. */
  let differs = false;
  /** Every page the build makes, in the order it makes them. */
  let expected: ExpectedPage[] = [];
  /** How many of `expected` are handed over (or left out, having no article). */
  let handed = 0;
  let foreseeing = Promise.resolve();
  const storing: Promise<void>[] = [];

  /** The article of a page with its compounds split, and the article alone to keep for the next build. */
  function prepare(url: string, html: string): { article: string; page: string } | undefined {
    try {
      const location = locateArticle(html);
      if (!location) return undefined;
      const indexed = indexDocument(html, location, annotate);
      compounds += indexed.compounds;
      return { article: indexed.html, page: articlePage(html, location) };
    } catch (error) {
      problems.push(`${url}: ${describe(error)}`);
      return undefined;
    }
  }

  /** The article of a page read from `file` (a page, or an article stored by the last build); stored if `hash` is new. */
  async function prepareFile(url: string, file: string, hash?: string): Promise<string | undefined> {
    const prepared = prepare(url, await readFile(file, 'utf8'));
    if (prepared && hash) store(hash, prepared.page);
    return prepared?.article;
  }

  const storedArticle = (hash: string) => join(articles, `${hash}.html`);

  function store(hash: string, page: string) {
    storing.push(writeFile(storedArticle(hash), page, { flag: 'wx' }).catch(() => {}));
  }

  function hand(url: string, article: string) {
    added++;
    const into = index;
    adding.push(
      into.addHTMLFile({ url, content: article }).then((result) => {
        if (into === index) problems.push(...result.errors.map((error) => `${url}: ${error}`));
      }),
    );
  }

  /** Hands Pagefind every page that is next in line and known, while pages render. */
  function handReady() {
    while (handed < expected.length) {
      const { path } = expected[handed]!;
      const page = pages.get(path);
      const foreseenPage = foreseen.get(path);
      if (page) {
        const article = waiting.get(path);
        if (article !== undefined) hand(page.url, article);
      } else if (foreseenPage) {
        if (foreseenPage.article !== undefined) hand(foreseenPage.url, foreseenPage.article);
        handedUnseen.set(path, foreseenPage.hash);
      } else break;
      waiting.delete(path);
      foreseen.delete(path);
      handed++;
    }
  }

  /** What the index is made of: the vocabulary, the indexer's code and every page with an article. */
  async function digestOf(): Promise<string> {
    const withArticle = [...pages.values()]
      .filter((page) => page.hash)
      .map(({ url, hash }) => `${url} ${hash}`)
      .sort();
    return sha256(await code, [...vocabulary].sort().join(' '), ...withArticle);
  }

  return {
    /** Notes the pages to come; resolves once the articles of those the last build made are read. */
    expect(pagesToMake: ExpectedPage[]): Promise<void> {
      expected = pagesToMake.map(({ path, key }) => ({ path: pathOf(path), key }));
      // Every key as the last build left it: the index will most likely be the last one, copied
      // once all pages are made; handing pages to Pagefind would only take time from the build.
      const keyed = expected.filter(({ key }) => key !== undefined);
      const unchanged =
        keyed.length === record.size && keyed.every(({ path, key }) => record.get(path)?.key === key);
      if (unchanged) return foreseeing;
      foreseeing = (async () => {
        for (const { path, key } of expected) {
          const previous = record.get(path);
          if (key === undefined || previous?.key !== key || pages.has(path)) continue;
          const article = previous.hash
            ? await prepareFile(previous.url, storedArticle(previous.hash)).catch(() => undefined)
            : undefined;
          if (previous.hash && article === undefined) continue;
          foreseen.set(path, { ...previous, article });
          handReady();
        }
      })();
      return foreseeing;
    },

    /** Notes a rendered page and prepares its article for the index; a page without one is left out. */
    add(url: string, html?: string) {
      const path = pathOf(url);
      const hash = html?.includes(articleMarker) ? sha256(html) : undefined;
      pages.set(path, { url, hash });
      if (handedUnseen.has(path)) {
        if (handedUnseen.get(path) !== hash) differs = true;
        return;
      }
      const prepared = hash ? prepare(url, html!) : undefined;
      if (prepared) {
        waiting.set(path, prepared.article);
        store(hash!, prepared.page);
      }
      handReady();
    },

    /** Writes the index into `outputPath` once Pagefind has every page, rendered and kept. */
    async finish(outputPath: string, pagesDir: string): Promise<IndexerReply> {
      let reused = false;
      let kept = 0;
      try {
        await foreseeing;
        const keys = new Map(expected.map(({ path, key }) => [path, key]));
        // Pages not rendered were kept: as the last build made them when their key is the same,
        // else (or for an article the last build did not store) read from the output.
        const output = await pagesIn(pagesDir);
        const stored = new Set(await readdir(articles));
        const unread = new Map<string, string>();
        for (const [path, { url, file }] of output) {
          if (pages.has(path)) continue;
          kept++;
          const previous = record.get(path);
          const same = previous && previous.key === keys.get(path);
          if (same && (!previous.hash || stored.has(`${previous.hash}.html`)))
            pages.set(path, { url, hash: previous.hash });
          else {
            const html = await readFile(file, 'utf8');
            pages.set(path, { url, hash: html.includes(articleMarker) ? sha256(html) : undefined });
            unread.set(path, file);
          }
        }
        for (const [path, hash] of handedUnseen) if (pages.get(path)?.hash !== hash) differs = true;
        if (differs) {
          // Start over, every page read from the output.
          await index.deleteIndex();
          index = await createIndex();
          adding = [];
          added = 0;
          handed = 0;
          for (const [path, { file }] of output) if (pages.get(path)?.hash) unread.set(path, file);
        }
        const digest = await digestOf();
        await rm(outputPath, { recursive: true, force: true });
        if (!differs && (await readFile(join(saved, 'digest'), 'utf8').catch(() => '')) === digest) {
          await linkTree(join(saved, 'pagefind'), outputPath);
          reused = true;
          added = [...pages.values()].filter((page) => page.hash).length;
        } else {
          // The rest in the order of a full build: the pages not handed over yet in the order
          // the build made them, then any other page with an article by path.
          const made = new Set(keys.keys());
          const others = [...pages.keys()].filter((path) => !made.has(path)).sort();
          for (const path of [...expected.slice(handed).map((page) => page.path), ...others]) {
            const page = pages.get(path);
            if (!page?.hash) continue;
            const file = unread.get(path);
            const foreseenPage = foreseen.get(path);
            const article =
              waiting.get(path) ??
              (foreseenPage?.hash === page.hash ? foreseenPage.article : undefined) ??
              (await prepareFile(page.url, file ?? storedArticle(page.hash), file && page.hash));
            if (article !== undefined) hand(page.url, article);
          }
          await Promise.all(adding);
          problems.push(...(await index.writeFiles({ outputPath })).errors);
          if (problems.length === 0) {
            await rm(join(saved, 'pagefind'), { recursive: true, force: true });
            await linkTree(outputPath, join(saved, 'pagefind'));
            await writeFile(join(saved, 'digest'), digest);
          }
        }
        await Promise.all(storing);
        if (problems.length === 0) await keepRecord(keys);
      } finally {
        await pagefind.close();
      }
      if (problems.length > 0) return { problems };
      return { report: { pages: added, kept, reused, compounds, vocabulary: vocabulary.size } };
    },
  };

  /** Leaves the next build each page with a cache key, and the articles of those pages only. */
  async function keepRecord(keys: Map<string, string | undefined>) {
    const next: Record = {};
    for (const [path, key] of keys) {
      const page = pages.get(path);
      if (page && key !== undefined) next[path] = { ...page, key };
    }
    const hashes = new Set(Object.values(next).map((page) => `${page.hash}.html`));
    for (const file of await readdir(articles)) if (!hashes.has(file)) await rm(join(articles, file));
    await writeFile(recordFile, JSON.stringify(next));
  }
}

const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

/** Marks the worker thread this module runs in (test runners run modules in worker threads too). */
export const indexerRole = 'reeks:page-indexer';

// As the indexer's worker thread: index the pages the build thread posts, in the order they come.
if (!isMainThread && parentPort && workerData?.role === indexerRole) {
  const port = parentPort;
  const utf8 = new TextDecoder();
  const { contentDir, cacheDir } = workerData as { contentDir: string; cacheDir: string };
  const indexer = createPageIndexer(contentDir, cacheDir);
  indexer.catch(() => {}); // reported in answer to `finish`
  port.on('message', (message: IndexerMessage) => {
    void indexer
      .then(async (pages) => {
        if ('expect' in message) return pages.expect(message.expect);
        if ('url' in message) return pages.add(message.url, message.html && utf8.decode(message.html));
        port.postMessage((await pages.finish(message.finish, message.pagesDir)) satisfies IndexerReply);
      })
      // A failed start or write is reported once, in answer to `finish`.
      .catch((error: unknown) => {
        if ('finish' in message) port.postMessage({ problems: [describe(error)] } satisfies IndexerReply);
      });
  });
}
