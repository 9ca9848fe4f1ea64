// Search without a search server: while a production build renders its pages, a thread of its
// own (page-indexer.ts) has Pagefind index their articles, and those of the pages an incremental
// build kept instead of rendering them again; the index is written into
// <client>/pagefind/, next to the pages. The build's prerenderer, wrapped here, tells the indexer
// every page's address in the order Astro builds them, then hands it each page as it renders.
// Compounds are split into their parts for the index only (see src/lib/compounds.ts).
// `npm run dev` serves the index of the last production build, so search works there once
// `npm run build` has run.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AstroIntegration, AstroIntegrationLogger, AstroPrerenderer } from 'astro';
import { AstroError } from 'astro/errors';
import { searchBundlePath } from '../lib/search-paths.ts';
import { contentDir, searchIndexing } from '../site.config.ts';
import { indexAfterBuild } from './search-index/after-build.ts';
import {
  indexerRole,
  type ExpectedPage,
  type IndexerMessage,
  type IndexerReply,
  type SearchIndexReport,
} from './page-indexer.ts';

/**
 * Starts the indexer's thread (page-indexer.ts); the prerenderer (withPageIndexer) calls `expect`
 * once and `add` for each rendered page, the build's end `finish`.
 */
function startPageIndexer(contentDir: string, cacheDir: string) {
  const worker = new Worker(new URL('./page-indexer.ts', import.meta.url), {
    workerData: { role: indexerRole, contentDir, cacheDir },
  });
  const reply = new Promise<SearchIndexReport>((resolve, reject) => {
    worker.once('message', (message: IndexerReply) => {
      try {
        resolve(reported(message));
      } catch (error) {
        reject(error);
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new AstroError(`The search indexer stopped (exit code ${code}) before it wrote the index.`)),
    );
  });
  reply.catch(() => {}); // a failed start is reported by `finish`
  // A build that fails before its end must not wait for this thread.
  worker.unref();
  return {
    expect(pages: ExpectedPage[]) {
      worker.postMessage({ expect: pages } satisfies IndexerMessage);
    },
    /** Hands over a rendered page: its bytes are moved to the thread, not copied. */
    add(url: string, html?: Uint8Array) {
      worker.postMessage({ url, html } satisfies IndexerMessage, html ? [html.buffer as ArrayBuffer] : []);
    },
    async finish(outputPath: string, pagesDir: string): Promise<SearchIndexReport> {
      worker.ref();
      worker.postMessage({ finish: outputPath, pagesDir } satisfies IndexerMessage);
      try {
        return await reply;
      } finally {
        await worker.terminate();
      }
    },
  };
}

/** The indexer's report, or its problems as the build's error. */
function reported(reply: IndexerReply): SearchIndexReport {
  if ('report' in reply) return reply.report;
  throw new AstroError(`Pagefind could not build the search index:\n${reply.problems.join('\n')}`);
}

type PageIndexer = ReturnType<typeof startPageIndexer>;

/** Astro's prerenderer, telling `indexer` every page it will make and handing it every page it renders. */
function withPageIndexer(prerenderer: AstroPrerenderer, indexer: PageIndexer): AstroPrerenderer {
  return {
    ...prerenderer,
    async getStaticPaths() {
      const paths = await prerenderer.getStaticPaths();
      indexer.expect(paths.map(({ pathname, cacheKey }) => ({ path: pathname, key: cacheKey })));
      return paths;
    },
    async render(request, options) {
      const result = await prerenderer.render(request, options);
      const response = result instanceof Response ? result : result.response;
      const url = new URL(request.url).pathname;
      if (!response.body || !response.headers.get('content-type')?.startsWith('text/html')) {
        indexer.add(url);
        return result;
      }
      const html = new Uint8Array(await response.arrayBuffer());
      indexer.add(url, html.slice());
      const { status, statusText, headers } = response;
      const copy = new Response(html, { status, statusText, headers });
      return result instanceof Response ? copy : { ...result, response: copy };
    },
  };
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

export function searchIndex(): AstroIntegration {
  let clientDir = '';
  let cacheDir = '';
  let started = 0;
  let pagesDone = 0;
  let indexer: PageIndexer | undefined;
  let writing: Promise<SearchIndexReport> | undefined;
  return {
    name: 'reeks:search-index',
    hooks: {
      'astro:config:done': ({ config }) => {
        clientDir = fileURLToPath(config.build.client);
        cacheDir = fileURLToPath(config.cacheDir);
      },
      'astro:server:setup': ({ server, logger }) => {
        server.middlewares.use(searchBundlePath, serveLastIndex(join(clientDir, searchBundlePath), logger));
      },
      // Astro leaves out its own prerender entry once a prerenderer is set, taking it for an
      // adapter's own; this one wraps Astro's, which needs that entry.
      'astro:build:setup': ({ updateConfig }) => {
        updateConfig({
          environments: {
            prerender: { build: { rolldownOptions: { input: 'astro/entrypoints/prerender' } } },
          },
        });
      },
      'astro:build:start': ({ setPrerenderer }) => {
        started = performance.now();
        if (searchIndexing === 'after-build') return;
        const pageIndexer = startPageIndexer(contentDir, cacheDir);
        indexer = pageIndexer;
        setPrerenderer((prerenderer) => withPageIndexer(prerenderer, pageIndexer));
      },
      // Every page is rendered: Pagefind writes the index while Astro and the other
      // integrations finish the build (this one is the last in astro.config.mjs).
      'astro:build:generated': ({ dir }) => {
        pagesDone = performance.now();
        const [pagesDir, outputPath] = [fileURLToPath(dir), join(fileURLToPath(dir), searchBundlePath)];
        if (searchIndexing === 'after-build') {
          writing = indexAfterBuild(contentDir, pagesDir, outputPath).then(reported);
          writing.catch(() => {}); // reported by astro:build:done
          return;
        }
        if (!indexer) throw new AstroError('The search indexer was not started: no search index was built.');
        writing = indexer.finish(outputPath, pagesDir);
        writing.catch(() => {}); // reported by astro:build:done
      },
      'astro:build:done': async ({ logger }) => {
        if (!writing) throw new AstroError('The search index was not written: the build rendered no pages.');
        const report = await writing;
        const seconds = (milliseconds: number) => (milliseconds / 1000).toFixed(1);
        logger.info(
          `Indexed ${report.pages} articles for search in ${seconds(performance.now() - started)} s, of which ${seconds(performance.now() - pagesDone)} s after the pages (${report.kept} pages kept from the last build${report.reused ? ', the index unchanged and kept too' : ''}, ${report.compounds} compounds split, vocabulary of ${report.vocabulary} words).`,
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
    response: {
      statusCode: number;
      setHeader(name: string, value: string): void;
      end(body?: string | Buffer): void;
    },
  ) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = resolve(root, `.${path}`);
    const found = file.startsWith(root) && (await stat(file).catch(() => undefined))?.isFile();
    if (!found) {
      if (!warned && !existsSync(join(root, 'pagefind-entry.json'))) {
        logger.warn(
          `No search index in ${root}. Run \`npm run build\` once; dev search uses the last build's index.`,
        );
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
