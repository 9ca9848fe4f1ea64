// The search indexer of a production build, in a thread of its own (search-index.ts starts it):
// reading each page's article and splitting its compounds takes as long as rendering a third of
// the page, and on a machine with two cores the other one has time while Astro renders.
// Pagefind, a process of its own, indexes what this thread hands it; `finish` writes the index.
//
// An incremental build (docs/builds.md) renders only the pages that changed and keeps the others'
// last output: `finish` reads those kept pages from the output. Pagefind numbers pages in the order
// it gets them, so they are handed to it in the order of their URLs, whatever order they were
// rendered or kept in: the index of an incremental build is then the very one a full build makes.
// When no page with an article, no word of the vocabulary and no code of the indexer changed, it
// is the index of the last build, and that is copied instead of being built again.
import { createHash } from 'node:crypto';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

/**
 * What the build thread sends: a rendered page, or once all are sent, the folder the pages are
 * written to (`pagesDir`), where to write the index (`finish`) and where the build keeps what the
 * next build reuses (`cacheDir`).
 */
export type IndexerMessage =
  { url: string; html: string } | { finish: string; pagesDir: string; cacheDir: string };
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

/** Every page in `pagesDir` by its URL: pages are <path>/index.html (build.format "directory"). */
async function pagesIn(pagesDir: string): Promise<Map<string, string>> {
  const files = (await readdir(pagesDir, { recursive: true })).filter(
    (file) => file === 'index.html' || file.endsWith(`${sep}index.html`),
  );
  return new Map(
    files.map((file) => [
      `/${file.slice(0, -'index.html'.length).split(sep).join('/')}`,
      join(pagesDir, file),
    ]),
  );
}

/**
 * Compounds are split with the words of every post's source as the vocabulary, which is known
 * before the first page renders. Problems (Pagefind's, per page) are collected and returned by
 * `finish`, so that the build can list them all.
 */
async function createPageIndexer(contentDir: string) {
  const vocabulary = buildVocabulary(readPostBodies(contentDir));
  const annotate = compoundAnnotator(vocabulary, { ...defaultCompoundOptions, weight: compoundPartWeight });
  const code = indexerCode();
  const { index, errors } = await pagefind.createIndex({});
  if (!index) {
    await pagefind.close();
    throw new Error(errors.join('\n') || 'Pagefind did not start.');
  }
  const problems = [...errors];
  /** Every page seen, rendered or kept, with a hash of its HTML when it has an article. */
  const pages = new Map<string, string | undefined>();
  /** The article of each rendered page, compounds split, until it is handed to Pagefind. */
  const rendered = new Map<string, string>();
  let compounds = 0;

  /** The article of a page with its compounds split, or undefined for a page without one. */
  function prepare(url: string, html: string): string | undefined {
    try {
      const location = locateArticle(html);
      if (!location) return undefined;
      const indexed = indexDocument(html, location, annotate);
      compounds += indexed.compounds;
      return indexed.html;
    } catch (error) {
      problems.push(`${url}: ${describe(error)}`);
      return undefined;
    }
  }

  /** What the index is made of: the vocabulary, the indexer's code and every page with an article. */
  async function digestOf(): Promise<string> {
    const articles = [...pages].filter(([, hash]) => hash).sort(([a], [b]) => (a < b ? -1 : 1));
    return sha256(await code, [...vocabulary].sort().join(' '), ...articles.flat().map(String));
  }

  return {
    /** Prepares the article of a rendered page for the index; a page without one is left out. */
    add(url: string, html: string) {
      pages.set(url, html.includes(articleMarker) ? sha256(html) : undefined);
      const article = prepare(url, html);
      if (article !== undefined) rendered.set(url, article);
    },

    /** Writes the index into `outputPath` once Pagefind has every page, rendered and kept. */
    async finish(outputPath: string, pagesDir: string, cacheDir: string): Promise<IndexerReply> {
      const saved = join(cacheDir, 'search-index');
      let reused = false;
      let added = 0;
      let kept: Map<string, string>;
      try {
        kept = new Map([...(await pagesIn(pagesDir))].filter(([url]) => !pages.has(url)));
        for (const [url, file] of kept) {
          const html = await readFile(file, 'utf8');
          pages.set(url, html.includes(articleMarker) ? sha256(html) : undefined);
        }
        const digest = await digestOf();
        await rm(outputPath, { recursive: true, force: true });
        if ((await readFile(join(saved, 'digest'), 'utf8').catch(() => '')) === digest) {
          await cp(join(saved, 'pagefind'), outputPath, { recursive: true });
          reused = true;
          added = [...pages.values()].filter(Boolean).length;
        } else {
          // In the order of the URLs; a kept page is read (again) just before Pagefind gets it.
          const adding: Promise<void>[] = [];
          for (const url of [...pages.keys()].filter((url) => pages.get(url)).sort()) {
            const file = kept.get(url);
            const article = file ? prepare(url, await readFile(file, 'utf8')) : rendered.get(url);
            rendered.delete(url);
            if (article === undefined) continue;
            added++;
            adding.push(
              index.addHTMLFile({ url, content: article }).then((result) => {
                problems.push(...result.errors.map((error) => `${url}: ${error}`));
              }),
            );
          }
          await Promise.all(adding);
          problems.push(...(await index.writeFiles({ outputPath })).errors);
          if (problems.length === 0) {
            await rm(saved, { recursive: true, force: true });
            await cp(outputPath, join(saved, 'pagefind'), { recursive: true });
            await writeFile(join(saved, 'digest'), digest);
          }
        }
      } finally {
        await pagefind.close();
      }
      if (problems.length > 0) return { problems };
      return { report: { pages: added, kept: kept.size, reused, compounds, vocabulary: vocabulary.size } };
    },
  };
}

const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

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
        port.postMessage(
          (await pages.finish(message.finish, message.pagesDir, message.cacheDir)) satisfies IndexerReply,
        );
      })
      // A failed start or write is reported once, in answer to `finish`.
      .catch((error: unknown) => {
        if ('finish' in message) port.postMessage({ problems: [describe(error)] } satisfies IndexerReply);
      });
  });
}
