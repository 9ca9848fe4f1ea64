// Search without a search server: once a production build has written its pages, Pagefind
// indexes their articles (page-indexer.ts) and the index is written into <client>/pagefind/, next
// to the pages, while Astro and the other integrations finish the build. Compounds are split into
// their parts for the index only (see src/lib/compounds.ts). `npm run dev` serves the index of the
// last production build, so search works there once `npm run build` has run.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { AstroError } from 'astro/errors';
import { searchBundlePath } from '../lib/search-paths.ts';
import { contentDir } from '../site.config.ts';
import { indexPages, type SearchIndexReport } from './page-indexer.ts';

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

export function searchIndex(): AstroIntegration {
  let clientDir = '';
  let cacheDir = '';
  let started = 0;
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
      // Every page is written: Pagefind indexes them while Astro and the other integrations
      // finish the build (this one is the last in astro.config.mjs).
      'astro:build:generated': ({ dir }) => {
        started = performance.now();
        const pagesDir = fileURLToPath(dir);
        writing = indexPages(contentDir, pagesDir, join(pagesDir, searchBundlePath), cacheDir).then(
          (reply) => {
            if ('report' in reply) return reply.report;
            throw new AstroError(`Pagefind could not build the search index:\n${reply.problems.join('\n')}`);
          },
        );
        writing.catch(() => {}); // reported by astro:build:done
      },
      'astro:build:done': async ({ logger }) => {
        if (!writing) throw new AstroError('The search index was not written: the build rendered no pages.');
        const report = await writing;
        logger.info(
          `Indexed ${report.pages} articles for search in ${((performance.now() - started) / 1000).toFixed(1)} s after the pages (${report.reused ? 'the last index, nothing it is made of changed' : `${report.compounds} compounds split`}, vocabulary of ${report.vocabulary} words).`,
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
