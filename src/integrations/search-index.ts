// Search without a search server: while a production build renders its pages, Pagefind indexes
// their articles; the index is written into <client>/pagefind/, next to the pages. Compounds are
// split into their parts for the index only (see src/lib/compounds.ts). `npm run dev` serves the index of the last
// production build, so search works there once `npm run build` has run.
import { existsSync } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { AstroError } from 'astro/errors';
import * as pagefind from 'pagefind';
import { buildVocabulary, defaultCompoundOptions } from '../lib/compounds.ts';
import { readPostBodies } from '../lib/content-files.ts';
import { compoundAnnotator, indexDocument, locateArticle } from '../lib/search-html.ts';
import { pageIndexerKey, searchBundlePath } from '../lib/search-paths.ts';
import { contentDir } from '../site.config.ts';

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

/**
 * Hands Pagefind each page as it is rendered (search-index-middleware.ts calls `add`), so that
 * Pagefind, a process of its own, indexes on one core while Astro renders on the other; `finish`
 * then writes the index. Compounds are split with the words of every post's source as the
 * vocabulary, which is known before the first page renders.
 */
export async function createPageIndexer(contentDir: string) {
  const vocabulary = buildVocabulary(readPostBodies(contentDir));
  const annotate = compoundAnnotator(vocabulary, { ...defaultCompoundOptions, weight: compoundPartWeight });
  const { index, errors } = await pagefind.createIndex({});
  const problems = [...errors];
  const added: Promise<void>[] = [];
  let compounds = 0;
  const fail = () => new AstroError(`Pagefind could not build the search index:\n${problems.join('\n')}`);
  if (!index) {
    await pagefind.close();
    throw fail();
  }
  return {
    /** Indexes the article of a rendered page; a page without one is left out. */
    add(url: string, html: string) {
      const location = locateArticle(html);
      if (!location) return;
      const indexed = indexDocument(html, location, annotate);
      compounds += indexed.compounds;
      added.push(
        index.addHTMLFile({ url, content: indexed.html }).then((result) => {
          problems.push(...result.errors.map((error) => `${url}: ${error}`));
        }),
      );
    },
    /** Writes the index into `outputPath` once Pagefind has every page. */
    async finish(outputPath: string): Promise<SearchIndexReport> {
      try {
        await Promise.all(added);
        await rm(outputPath, { recursive: true, force: true });
        problems.push(...(await index.writeFiles({ outputPath })).errors);
      } finally {
        await pagefind.close();
      }
      if (problems.length > 0) throw fail();
      return { pages: added.length, compounds, vocabulary: vocabulary.size };
    },
  };
}

type PageIndexer = Awaited<ReturnType<typeof createPageIndexer>>;
const globals = globalThis as { [pageIndexerKey]?: PageIndexer };

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

export function searchIndex(): AstroIntegration {
  let clientDir = '';
  let started = 0;
  return {
    name: 'reeks:search-index',
    hooks: {
      'astro:config:setup': ({ command, addMiddleware }) => {
        if (command === 'build') addMiddleware({ entrypoint: new URL('./search-index-middleware.ts', import.meta.url), order: 'post' });
      },
      'astro:config:done': ({ config }) => {
        clientDir = fileURLToPath(config.build.client);
      },
      'astro:server:setup': ({ server, logger }) => {
        server.middlewares.use(searchBundlePath, serveLastIndex(join(clientDir, searchBundlePath), logger));
      },
      'astro:build:start': async () => {
        started = performance.now();
        globals[pageIndexerKey] = await createPageIndexer(contentDir);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const indexer = globals[pageIndexerKey];
        delete globals[pageIndexerKey];
        if (!indexer) throw new AstroError('The search indexer was not started: no search index was built.');
        const writing = performance.now();
        const report = await indexer.finish(join(fileURLToPath(dir), searchBundlePath));
        const seconds = (milliseconds: number) => (milliseconds / 1000).toFixed(1);
        logger.info(
          `Indexed ${report.pages} articles for search in ${seconds(performance.now() - started)} s, of which ${seconds(performance.now() - writing)} s after the pages (${report.compounds} compounds split, vocabulary of ${report.vocabulary} words).`,
        );
      },
    },
  };
}

/** Development only: the index of the last production build, as the built site serves it. */
function serveLastIndex(root: string, logger: AstroIntegrationLogger) {
  let warned = false;
  return async (
    request: { url?: string },
    response: { statusCode: number; setHeader(name: string, value: string): void; end(body?: string | Buffer): void },
  ) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = resolve(root, `.${path}`);
    const found = file.startsWith(root) && (await stat(file).catch(() => undefined))?.isFile();
    if (!found) {
      if (!warned && !existsSync(join(root, 'pagefind-entry.json'))) {
        logger.warn(`No search index in ${root}. Run \`npm run build\` once; dev search uses the last build's index.`);
        warned = true;
      }
      response.statusCode = 404;
      response.end('Not found');
      return;
    }
    response.setHeader('Content-Type', contentTypes[extname(file)] ?? 'application/octet-stream');
    response.end(await readFile(file));
  };
}
