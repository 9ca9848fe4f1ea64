// Search without a search server: after every production build, Pagefind indexes the articles of
// the built pages into <client>/pagefind/, next to the pages. Compounds are split into their parts
// for the index only (see src/lib/compounds.ts). `npm run dev` serves the index of the last
// production build, so search works there once `npm run build` has run.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { AstroError } from 'astro/errors';
import * as pagefind from 'pagefind';
import { buildVocabulary, defaultCompoundOptions } from '../lib/compounds.ts';
import { indexDocument, readArticle, type ArticleLocation } from '../lib/search-html.ts';
import { searchBundlePath } from '../lib/search-paths.ts';

/**
 * Pagefind weight of compound parts (a whole word weighs 1). Low enough that a page with the word
 * itself ranks above a page where it is only part of a compound, however often that compound occurs.
 */
const compoundPartWeight = 0.1;

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** "/digitale-transformatie/deel/index.html" is served as "/digitale-transformatie/deel/". */
function pageUrl(clientDir: string, file: string): string {
  const path = `/${relative(clientDir, file).split(sep).join('/')}`;
  return path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path;
}

export interface SearchIndexReport {
  pages: number;
  compounds: number;
  vocabulary: number;
}

/** Pages handed to Pagefind before waiting for its answers: it parses while the next are prepared. */
const pagesInFlight = 32;

/** Indexes the articles among the built pages in `clientDir`; writes `clientDir`/pagefind/. */
export async function buildSearchIndex(clientDir: string): Promise<SearchIndexReport> {
  // Two passes over the files, one page in memory at a time: the vocabulary needs every article
  // before the first compound can be split. The second pass reuses where the first found the article.
  const articles: { file: string; url: string; location: ArticleLocation }[] = [];
  const vocabulary = new Set<string>();
  for (const file of await htmlFiles(clientDir)) {
    const article = readArticle(readFileSync(file, 'utf8'));
    if (!article) continue;
    articles.push({ file, url: pageUrl(clientDir, file), location: article.location });
    buildVocabulary([article.text], defaultCompoundOptions, vocabulary);
  }

  const outputPath = join(clientDir, searchBundlePath);
  await rm(outputPath, { recursive: true, force: true });
  const { index, errors } = await pagefind.createIndex({});
  const problems = [...errors];
  let compounds = 0;
  try {
    if (index) {
      let inFlight: Promise<void>[] = [];
      for (const { file, url, location } of articles) {
        const indexed = indexDocument(readFileSync(file, 'utf8'), location, vocabulary, {
          ...defaultCompoundOptions,
          weight: compoundPartWeight,
        });
        compounds += indexed.compounds;
        inFlight.push(
          index.addHTMLFile({ url, content: indexed.html }).then((added) => {
            problems.push(...added.errors.map((error) => `${url}: ${error}`));
          }),
        );
        if (inFlight.length >= pagesInFlight) {
          await Promise.all(inFlight);
          inFlight = [];
        }
      }
      await Promise.all(inFlight);
      const written = await index.writeFiles({ outputPath });
      problems.push(...written.errors);
    }
  } finally {
    await pagefind.close();
  }
  if (problems.length > 0 || !index) {
    throw new AstroError(`Pagefind could not build the search index:\n${problems.join('\n')}`);
  }
  return { pages: articles.length, compounds, vocabulary: vocabulary.size };
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

export function searchIndex(): AstroIntegration {
  let clientDir = '';
  return {
    name: 'reeks:search-index',
    hooks: {
      'astro:config:done': ({ config }) => {
        clientDir = fileURLToPath(config.build.client);
      },
      'astro:server:setup': ({ server, logger }) => {
        server.middlewares.use(searchBundlePath, serveLastIndex(join(clientDir, searchBundlePath), logger));
      },
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const report = await buildSearchIndex(fileURLToPath(dir));
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        logger.info(
          `Indexed ${report.pages} articles for search in ${seconds} s (${report.compounds} compounds split, vocabulary of ${report.vocabulary} words).`,
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
