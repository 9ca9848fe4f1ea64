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
//
// The parts, in search-index/: the order of the pages (page-order.ts), the record of the last
// build (last-build.ts), the Pagefind session (pagefind-session.ts) and each page's article with
// its compounds split (articles.ts); this file puts them together and runs them in the thread.
import { readdir, readFile, rm } from 'node:fs/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { articleMarker, createArticleReader, describe } from './search-index/articles.ts';
import { pagesIn, pathOf } from './search-index/built-pages.ts';
import { LastBuild, sha256 } from './search-index/last-build.ts';
import { PageOrder, type ExpectedPage } from './search-index/page-order.ts';
import { closePagefind, PagefindSession } from './search-index/pagefind-session.ts';

export type { ExpectedPage } from './search-index/page-order.ts';

export interface SearchIndexReport {
  pages: number;
  /** Pages kept from the last build, read from the output rather than handed over as rendered. */
  kept: number;
  /** Whether the index is the last build's, copied because nothing it depends on changed. */
  reused: boolean;
  compounds: number;
  vocabulary: number;
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

/** The code that decides what the index holds: the indexer (this file, search-index/), src/lib (search-html.ts, compounds.ts…) and the lockfile (Pagefind). */
async function indexerCode(): Promise<string> {
  const folders = [new URL('./search-index/', import.meta.url), new URL('../lib/', import.meta.url)];
  const files = await Promise.all(
    folders.map(async (folder) =>
      (await readdir(folder))
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .sort()
        .map((file) => new URL(file, folder)),
    ),
  );
  const sources = await Promise.all([
    readFile(new URL(import.meta.url), 'utf8'),
    ...files.flat().map((file) => readFile(file, 'utf8')),
    readFile('package-lock.json', 'utf8').catch(() => ''),
  ]);
  return sha256(...sources);
}

/**
 * The indexer of one build: the order of the pages (PageOrder), the record of the last build
 * (LastBuild) and the Pagefind session, put together. Problems (Pagefind's, per page) are
 * collected and returned by `finish`, so that the build can list them all.
 *
 * A page with a cache key that the last build made with the same key will most likely be kept:
 * its article, stored by the last build, is handed over in its turn without waiting for the page.
 * Should the page be rendered after all, and differ, the index is built again.
 */
export async function createPageIndexer(contentDir: string, cacheDir: string) {
  const problems: string[] = [];
  const articles = createArticleReader(contentDir, problems);
  const code = indexerCode();
  const lastBuild = await LastBuild.take(cacheDir);
  const pagefind = await PagefindSession.open(problems);
  const order = new PageOrder((url, article) => pagefind.add(url, article));
  let foreseeing = Promise.resolve();

  /** The article of a page read from `file` (a page, or an article stored by the last build); stored if `hash` is new. */
  async function prepareFile(url: string, file: string, hash?: string): Promise<string | undefined> {
    const prepared = articles.prepare(url, await readFile(file, 'utf8'));
    if (prepared && hash) lastBuild.storeArticle(hash, prepared.page);
    return prepared?.article;
  }

  /** Pages in the output that were not rendered were kept: each as the last build made it, else read from the output. */
  async function notePagesKept(pagesDir: string) {
    const keys = order.keys();
    const output = await pagesIn(pagesDir);
    const stored = await lastBuild.storedArticles();
    /** Kept pages read from the output, by path, with their file. */
    const read = new Map<string, string>();
    let kept = 0;
    for (const [path, { url, file }] of output) {
      if (order.seen.has(path)) continue;
      kept++;
      const previous = lastBuild.sameAs(path, keys.get(path));
      if (previous && (!previous.hash || stored.has(previous.hash)))
        order.seen.set(path, { url, hash: previous.hash });
      else {
        const html = await readFile(file, 'utf8');
        order.seen.set(path, { url, hash: html.includes(articleMarker) ? sha256(html) : undefined });
        read.set(path, file);
      }
    }
    return { output, read, kept };
  }

  /** What the index is made of: the vocabulary, the indexer's code and every page with an article. */
  async function digestOf(): Promise<string> {
    const withArticle = [...order.seen.values()]
      .filter((page) => page.hash)
      .map(({ url, hash }) => `${url} ${hash}`)
      .sort();
    return sha256(await code, [...articles.vocabulary].sort().join(' '), ...withArticle);
  }

  return {
    /** Notes the pages to come; resolves once the articles of those the last build made are read. */
    expect(pagesToMake: ExpectedPage[]): Promise<void> {
      order.expect(pagesToMake.map(({ path, key }) => ({ path: pathOf(path), key })));
      // Every key as the last build left it: the index will most likely be the last one, copied
      // once all pages are made; handing pages to Pagefind would only take time from the build.
      if (lastBuild.unchanged(order.expected)) return foreseeing;
      foreseeing = (async () => {
        for (const { path, key } of order.expected) {
          const previous = key === undefined ? undefined : lastBuild.sameAs(path, key);
          if (!previous || order.seen.has(path)) continue;
          const article = previous.hash
            ? await prepareFile(previous.url, lastBuild.articleFile(previous.hash)).catch(() => undefined)
            : undefined;
          if (previous.hash && article === undefined) continue;
          order.foresee(path, { url: previous.url, hash: previous.hash, article });
        }
      })();
      return foreseeing;
    },

    /** Notes a rendered page and prepares its article for the index; a page without one is left out. */
    add(url: string, html?: string) {
      const hash = html?.includes(articleMarker) ? sha256(html) : undefined;
      order.rendered(pathOf(url), { url, hash }, () => {
        const prepared = hash ? articles.prepare(url, html!) : undefined;
        if (prepared) lastBuild.storeArticle(hash!, prepared.page);
        return prepared?.article;
      });
    },

    /** Writes the index into `outputPath` once Pagefind has every page, rendered and kept. */
    async finish(outputPath: string, pagesDir: string): Promise<IndexerReply> {
      try {
        const report = await writeIndex(outputPath, pagesDir);
        return problems.length > 0 ? { problems } : { report };
      } finally {
        await closePagefind();
      }
    },
  };

  /**
   * Once every page is made: notes the kept ones, starts over when a page handed over early
   * differs, copies the last index when nothing it is made of changed, else hands Pagefind the
   * rest and writes the index; then leaves the record for the next build.
   */
  async function writeIndex(outputPath: string, pagesDir: string): Promise<SearchIndexReport> {
    await foreseeing;
    const { output, read, kept } = await notePagesKept(pagesDir);
    const differs = order.differs();
    if (differs) {
      // Start over, every page read from the output.
      await pagefind.restart();
      order.restart();
      for (const [path, { file }] of output) if (order.seen.get(path)?.hash) read.set(path, file);
    }
    const digest = await digestOf();
    await rm(outputPath, { recursive: true, force: true });
    const reused = !differs && (await lastBuild.reuseIndex(digest, outputPath));
    if (!reused) {
      for (const path of order.remaining()) {
        const page = order.seen.get(path);
        if (!page?.hash) continue;
        const file = read.get(path);
        const article =
          order.articleAtHand(path, page.hash) ??
          (await prepareFile(page.url, file ?? lastBuild.articleFile(page.hash), file && page.hash));
        if (article !== undefined) pagefind.add(page.url, article);
      }
      await pagefind.write(outputPath);
      if (problems.length === 0) await lastBuild.saveIndex(digest, outputPath);
    }
    await lastBuild.stored();
    if (problems.length === 0) await lastBuild.keep(order.keys(), order.seen);
    const pages = reused ? [...order.seen.values()].filter((page) => page.hash).length : pagefind.added;
    return { pages, kept, reused, compounds: articles.compounds, vocabulary: articles.vocabulary.size };
  }
}

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
