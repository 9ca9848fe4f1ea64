// The search index of a production build, made once every page is written, the way Starlight
// makes its own (one Pagefind pass over the output): each page is read from the output, its
// article taken out with its compounds split into their parts (src/lib/search-html.ts; Pagefind's
// own `addDirectory` cannot split them) and handed to Pagefind in path order.
//
// Pagefind numbers pages in the order it gets them and cannot update one page of an index, so an
// index made this way depends on the output alone: an incremental build (docs/builds.md), whose
// output is a full build's, gets the very index a full build makes. Indexing the pages while they
// rendered saved too little of a build to keep (docs/builds.md, "Search: while the pages render,
// or after").
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
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

/**
 * Indexes the pages in `pagesDir` and writes the index into `outputPath`. Compounds are split
 * with the words of every post's source (in `contentDir`) as the vocabulary.
 */
export async function indexPages(
  contentDir: string,
  pagesDir: string,
  outputPath: string,
): Promise<IndexerReply> {
  const vocabulary = buildVocabulary(readPostBodies(contentDir));
  const annotate = compoundAnnotator(vocabulary, { ...defaultCompoundOptions, weight: compoundPartWeight });
  const problems: string[] = [];
  let pages = 0;
  let compounds = 0;
  try {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) return { problems: errors.length > 0 ? errors : ['Pagefind did not start.'] };
    problems.push(...errors);
    const adding: Promise<void>[] = [];
    for (const { url, file } of await pagesIn(pagesDir)) {
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
    await rm(outputPath, { recursive: true, force: true });
    problems.push(...(await index.writeFiles({ outputPath })).errors);
  } finally {
    await pagefind.close();
  }
  if (problems.length > 0) return { problems };
  return { report: { pages, compounds, vocabulary: vocabulary.size } };
}
