// The search index of a production build, made once every page is written, the way Starlight
// makes its own (one Pagefind pass over the output): each page is read from the output, its
// article taken out with its compounds split into their parts (src/lib/search-html.ts; Pagefind's
// own `addDirectory` cannot split them) and handed to Pagefind in path order.
//
// Pagefind numbers pages in the order it gets them and cannot update one page of an index, so an
// index made this way depends on the output alone: an incremental build (docs/builds.md), whose
// output is a full build's, gets the very index a full build makes. Indexing the pages while they
// rendered saved too little of a build to keep (docs/builds.md, "Search: while the pages render,
// or after"). When no page with an article, no word of the vocabulary and no code of the indexer
// changed, the index is the last build's, kept in the build's cache folder, and is copied instead.
import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
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
  /** Whether the index is the last build's, copied because nothing it is made of changed. */
  reused: boolean;
  compounds: number;
  vocabulary: number;
}

/** The index, or every problem Pagefind or a page had, so that the build can list them all. */
export type IndexerReply = { report: SearchIndexReport } | { problems: string[] };

/** Every page in `pagesDir` with its URL, by path: pages are <path>/index.html (build.format "directory"). */
async function pagesIn(pagesDir: string): Promise<{ url: string; file: string }[]> {
  const files = (await readdir(pagesDir, { recursive: true }))
    .filter((file) => file === 'index.html' || file.endsWith(`${sep}index.html`))
    .sort();
  return files.map((file) => ({
    url: `/${file.slice(0, -'index.html'.length).split(sep).join('/')}`,
    file: join(pagesDir, file),
  }));
}

const sha256 = (...texts: string[]) =>
  texts.reduce((hash, text) => hash.update(text).update('\0'), createHash('sha256')).digest('hex');

/** The code that decides what the index holds: this indexer, src/lib (search-html.ts, compounds.ts…) and the lockfile (Pagefind). */
async function indexerCode(): Promise<string[]> {
  const lib = new URL('../lib/', import.meta.url);
  const files = (await readdir(lib))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .sort();
  return Promise.all([
    readFile(new URL(import.meta.url), 'utf8'),
    ...files.map((file) => readFile(new URL(file, lib), 'utf8')),
    readFile('package-lock.json', 'utf8').catch(() => ''),
  ]);
}

/** What an index is made of: the indexer's code, the vocabulary and every page with an article (its URL and HTML). */
async function digestOf(vocabulary: Set<string>, pages: { url: string; file: string }[]): Promise<string> {
  const articles: string[] = [];
  for (const { url, file } of pages) {
    const html = await readFile(file, 'utf8');
    if (html.includes(articleMarker)) articles.push(`${url} ${sha256(html)}`);
  }
  return sha256(...(await indexerCode()), [...vocabulary].sort().join(' '), ...articles);
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

/**
 * Indexes the pages in `pagesDir` and writes the index into `outputPath`, or copies the last
 * index kept in `cacheDir` when it is made of the same. Compounds are split with the words of
 * every post's source (in `contentDir`) as the vocabulary.
 */
export async function indexPages(
  contentDir: string,
  pagesDir: string,
  outputPath: string,
  cacheDir: string,
): Promise<IndexerReply> {
  const vocabulary = buildVocabulary(readPostBodies(contentDir));
  const output = await pagesIn(pagesDir);
  const saved = join(cacheDir, 'search-index');
  const digest = await digestOf(vocabulary, output);
  await rm(outputPath, { recursive: true, force: true });
  if ((await readFile(join(saved, 'digest'), 'utf8').catch(() => '')) === digest) {
    await linkTree(join(saved, 'pagefind'), outputPath);
    const pages = Number(await readFile(join(saved, 'pages'), 'utf8'));
    return { report: { pages, reused: true, compounds: 0, vocabulary: vocabulary.size } };
  }
  const reply = await writeIndex(vocabulary, output, outputPath);
  if ('report' in reply) {
    // The digest last, so that a build stopped halfway leaves none, and the next one indexes.
    await rm(saved, { recursive: true, force: true });
    await linkTree(outputPath, join(saved, 'pagefind'));
    await writeFile(join(saved, 'pages'), String(reply.report.pages));
    await writeFile(join(saved, 'digest'), digest);
  }
  return reply;
}

async function writeIndex(
  vocabulary: Set<string>,
  output: { url: string; file: string }[],
  outputPath: string,
): Promise<IndexerReply> {
  const annotate = compoundAnnotator(vocabulary, { ...defaultCompoundOptions, weight: compoundPartWeight });
  const problems: string[] = [];
  let pages = 0;
  let compounds = 0;
  try {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) return { problems: errors.length > 0 ? errors : ['Pagefind did not start.'] };
    problems.push(...errors);
    const adding: Promise<void>[] = [];
    for (const { url, file } of output) {
      const html = await readFile(file, 'utf8');
      if (!html.includes(articleMarker)) continue;
      try {
        const location = locateArticle(html);
        if (!location) continue;
        const article = indexDocument(html, location, annotate);
        compounds += article.compounds;
        pages++;
        // Pagefind indexes in a process of its own while the next page is read.
        adding.push(
          index.addHTMLFile({ url, content: article.html }).then(({ errors }) => {
            problems.push(...errors.map((error) => `${url}: ${error}`));
          }),
        );
      } catch (error) {
        problems.push(`${url}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
    await Promise.all(adding);
    problems.push(...(await index.writeFiles({ outputPath })).errors);
  } finally {
    await pagefind.close();
  }
  if (problems.length > 0) return { problems };
  return { report: { pages, reused: false, compounds, vocabulary: vocabulary.size } };
}
