// What the index is made of: each page's article, with its compounds split into their parts
// (src/lib/search-html.ts). One per build, whichever way the index is built: the vocabulary is
// every post's source, known before the first page renders, and the annotator remembers every
// word it has seen.
import { buildVocabulary, defaultCompoundOptions } from '../../lib/compounds.ts';
import { readPostBodies } from '../../lib/content-files.ts';
import { articlePage, compoundAnnotator, indexDocument, locateArticle } from '../../lib/search-html.ts';

/**
 * Pagefind weight of compound parts (a whole word weighs 1). Low enough that a page with the word
 * itself ranks above a page where it is only part of a compound, however often that compound occurs.
 */
const compoundPartWeight = 0.1;

/** What marks the part of a page that is indexed (PostLayout.astro); a page without it is not. */
export const articleMarker = 'data-pagefind-body';

/** A page's article for Pagefind (compounds split), and the article alone to keep for the next build. */
export interface PreparedArticle {
  article: string;
  page: string;
}

export function createArticleReader(contentDir: string, problems: string[]) {
  const vocabulary = buildVocabulary(readPostBodies(contentDir));
  const annotate = compoundAnnotator(vocabulary, { ...defaultCompoundOptions, weight: compoundPartWeight });
  let compounds = 0;
  return {
    vocabulary,
    /** How many compounds were split so far. */
    get compounds() {
      return compounds;
    },
    /** The article of the page at `url`; undefined for a page without one, or one that failed (a problem). */
    prepare(url: string, html: string): PreparedArticle | undefined {
      try {
        const location = locateArticle(html);
        if (!location) return undefined;
        const indexed = indexDocument(html, location, annotate);
        compounds += indexed.compounds;
        return { article: indexed.html, page: articlePage(html, location) };
      } catch (error) {
        problems.push(`${url}: ${describe(error)}`);
        return undefined;
      }
    },
  };
}

export type ArticleReader = ReturnType<typeof createArticleReader>;

export const describe = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);
