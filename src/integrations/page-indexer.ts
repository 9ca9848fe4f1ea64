// The search indexer of a production build, in a thread of its own (search-index.ts starts it):
// reading each page's article and splitting its compounds takes as long as rendering a third of
// the page, and on a machine with two cores the other one has time while Astro renders.
// Pagefind, a process of its own, indexes what this thread hands it; `finish` writes the index.
// An incremental build (docs/builds.md) renders only the pages that changed and keeps the others'
// last output: `finish` reads those kept pages from the output. Pagefind numbers pages in the order
// it gets them, so they are handed to it in the order of their URLs, whatever order they were
// rendered or kept in: the index of an incremental build is then the very one a full build makes.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as pagefind from 'pagefind';
import { buildVocabulary, defaultCompoundOptions } from '../lib/compounds.ts';
import { readPostBodies } from '../lib/content-files.ts';
import { compoundAnnotator, indexDocument, locateArticle } from '../lib/search-html.ts';

/**
 * Pagefind weight of compound parts (a whole word weighs 1). Low enough that a page with the word
 * itself ranks above a page where it is only part of a compound, however often that compound occurs.
 */
const compoundPartWeight = 0.1;

export interface SearchIndexReport {
  pages: number;
  /** Pages kept from the last build, read from the output rather than handed over as rendered. */
  kept: number;
  compounds: number;
  vocabulary: number;
}

/**
 * What the build thread sends: a rendered page, or once all are sent, the folder the pages are
 * written to (`pagesDir`) and where to write the index (`finish`).
 */
export type IndexerMessage = { url: string; html: string } | { finish: string; pagesDir: string };
/** What this thread answers to `finish`. */
export type IndexerReply = { report: SearchIndexReport } | { problems: string[] };

/**
 * Compounds are split with the words of every post's source as the vocabulary, which is known
 * before the first page renders. Problems (Pagefind's, per page) are collected and returned by
 * `finish`, so that the build can list them all.
 */
async function createPageIndexer(contentDir: string) {
  const vocabulary = buildVocabulary(readPostBodies(contentDir));
  const annotate = compoundAnnotator(vocabulary, { ...defaultCompoundOptions, weight: compoundPartWeight });
  const { index, errors } = await pagefind.createIndex({});
  if (!index) {
    await pagefind.close();
    throw new Error(errors.join('\n') || 'Pagefind did not start.');
  }
  const problems = [...errors];
  /** What Pagefind is to index, by URL: the article of each page that has one, compounds split. */
  const documents = new Map<string, string>();
  const seen = new Set<string>();
  let compounds = 0;
  let kept = 0;

  /** Prepares the article of a rendered page for the index; a page without one is left out. */
  function add(url: string, html: string) {
    seen.add(url);
    try {
      const location = locateArticle(html);
      if (!location) return;
      const indexed = indexDocument(html, location, annotate);
      compounds += indexed.compounds;
      documents.set(url, indexed.html);
    } catch (error) {
      problems.push(`${url}: ${describe(error)}`);
    }
  }

  /**
   * Indexes the pages in `pagesDir` that were not handed over: those an incremental build kept.
   * Only pages of routes with a cache key are kept, and they are all <path>/index.html.
   */
  async function addKeptPages(pagesDir: string) {
    const files = (await readdir(pagesDir, { recursive: true })).filter((file) => file === 'index.html' || file.endsWith(`${sep}index.html`));
    for (const file of files.sort()) {
      const url = `/${file.slice(0, -'index.html'.length).split(sep).join('/')}`;
      if (seen.has(url)) continue;
      add(url, await readFile(join(pagesDir, file), 'utf8'));
      kept++;
    }
  }

  return {
    add,
    /** Writes the index into `outputPath` once Pagefind has every page. */
    async finish(outputPath: string, pagesDir: string): Promise<IndexerReply> {
      try {
        await addKeptPages(pagesDir);
        const urls = [...documents.keys()].sort();
        await Promise.all(
          urls.map(async (url) => {
            const { errors: pageErrors } = await index.addHTMLFile({ url, content: documents.get(url)! });
            problems.push(...pageErrors.map((error) => `${url}: ${error}`));
          }),
        );
        await rm(outputPath, { recursive: true, force: true });
        problems.push(...(await index.writeFiles({ outputPath })).errors);
      } finally {
        await pagefind.close();
      }
      if (problems.length > 0) return { problems };
      return { report: { pages: documents.size, kept, compounds, vocabulary: vocabulary.size } };
    },
  };
}

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** Marks the worker thread this module runs in (test runners run modules in worker threads too). */
export const indexerRole = 'reeks:page-indexer';

// As the indexer's worker thread: index the pages the build thread posts, in the order they come.
if (!isMainThread && parentPort && workerData?.role === indexerRole) {
  const port = parentPort;
  const indexer = createPageIndexer((workerData as { contentDir: string }).contentDir);
  indexer.catch(() => {}); // reported in answer to `finish`
  port.on('message', (message: IndexerMessage) => {
    void indexer
      .then(async (pages) => {
        if ('url' in message) return pages.add(message.url, message.html);
        port.postMessage((await pages.finish(message.finish, message.pagesDir)) satisfies IndexerReply);
      })
      // A failed start or write is reported once, in answer to `finish`.
      .catch((error: unknown) => {
        if ('finish' in message) port.postMessage({ problems: [describe(error)] } satisfies IndexerReply);
      });
  });
}
