// The plain way to build the search index, as Starlight does (one Pagefind pass over the output
// once the pages are written), kept as a measured alternative to the streaming indexer
// (page-indexer.ts): `REEKS_SEARCH_INDEXING=after-build` (docs/builds.md, "Search: streaming or
// after the build"). Every page is read from the output, its article prepared as in the
// streaming indexer (compounds split, which Pagefind's own `addDirectory` cannot do) and handed to
// Pagefind in path order; the index is then the same for a full and an incremental build.
import { readFile, rm } from 'node:fs/promises';
import * as pagefind from 'pagefind';
import { articleMarker, createArticleReader } from './articles.ts';
import { pagesIn } from './built-pages.ts';
import type { IndexerReply } from '../page-indexer.ts';

export async function indexAfterBuild(
  contentDir: string,
  pagesDir: string,
  outputPath: string,
): Promise<IndexerReply> {
  const problems: string[] = [];
  const articles = createArticleReader(contentDir, problems);
  let pages = 0;
  try {
    const { index, errors } = await pagefind.createIndex({});
    if (!index) return { problems: errors.length ? errors : ['Pagefind did not start.'] };
    problems.push(...errors);
    const output = await pagesIn(pagesDir);
    const adding: Promise<void>[] = [];
    for (const path of [...output.keys()].sort()) {
      const { url, file } = output.get(path)!;
      const html = await readFile(file, 'utf8');
      const prepared = html.includes(articleMarker) ? articles.prepare(url, html) : undefined;
      if (!prepared) continue;
      pages++;
      adding.push(
        index.addHTMLFile({ url, content: prepared.article }).then((result) => {
          problems.push(...result.errors.map((error) => `${url}: ${error}`));
        }),
      );
    }
    await Promise.all(adding);
    await rm(outputPath, { recursive: true, force: true });
    problems.push(...(await index.writeFiles({ outputPath })).errors);
  } finally {
    await pagefind.close();
  }
  if (problems.length > 0) return { problems };
  return {
    report: {
      pages,
      kept: 0,
      reused: false,
      compounds: articles.compounds,
      vocabulary: articles.vocabulary.size,
    },
  };
}
