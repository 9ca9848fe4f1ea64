// The search indexer of a production build, in a thread of its own (search-index.ts starts it):
// reading each page's article and splitting its compounds takes as long as rendering a third of
// the page, and on a machine with two cores the other one has time while Astro renders.
// Pagefind, a process of its own, indexes what this thread hands it; `finish` writes the index.
import { rm } from 'node:fs/promises';
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
  compounds: number;
  vocabulary: number;
}

/** What the build thread sends: a rendered page, or where to write the index once all are sent. */
export type IndexerMessage = { url: string; html: string } | { finish: string };
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
  const added: Promise<void>[] = [];
  let compounds = 0;
  return {
    /** Indexes the article of a rendered page; a page without one is left out. */
    add(url: string, html: string) {
      try {
        const location = locateArticle(html);
        if (!location) return;
        const indexed = indexDocument(html, location, annotate);
        compounds += indexed.compounds;
        added.push(
          index.addHTMLFile({ url, content: indexed.html }).then((result) => {
            problems.push(...result.errors.map((error) => `${url}: ${error}`));
          }),
        );
      } catch (error) {
        problems.push(`${url}: ${describe(error)}`);
      }
    },
    /** Writes the index into `outputPath` once Pagefind has every page. */
    async finish(outputPath: string): Promise<IndexerReply> {
      try {
        await Promise.all(added);
        await rm(outputPath, { recursive: true, force: true });
        problems.push(...(await index.writeFiles({ outputPath })).errors);
      } finally {
        await pagefind.close();
      }
      if (problems.length > 0) return { problems };
      return { report: { pages: added.length, compounds, vocabulary: vocabulary.size } };
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
        port.postMessage((await pages.finish(message.finish)) satisfies IndexerReply);
      })
      // A failed start or write is reported once, in answer to `finish`.
      .catch((error: unknown) => {
        if ('finish' in message) port.postMessage({ problems: [describe(error)] } satisfies IndexerReply);
      });
  });
}
