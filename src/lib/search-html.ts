// The built pages as the search index sees them. Only the article (the element marked
// `data-pagefind-body`, minus what is marked `data-pagefind-ignore`) is searchable; these
// functions read its words and hand Pagefind a copy of the article with each compound followed by
// its parts. The page readers get is not changed.
import { Parser } from 'htmlparser2';
import { compoundParts, defaultCompoundOptions, type CompoundOptions } from './compounds.ts';
import { partsText } from './search-excerpt.ts';

/** Elements whose text Pagefind never indexes. */
const skippedElements = new Set(['script', 'style', 'template', 'noscript', 'svg', 'form']);

/** Where the article is in a page, and where in it the text is that Pagefind indexes. */
export interface ArticleLocation {
  /** The article element(s) marked `data-pagefind-body`: html.slice(start, end). */
  start: number;
  end: number;
  /** The page's language, which Pagefind reads from <html lang>. */
  lang: string;
  /** Pairs of offsets: the text from spans[i] up to spans[i + 1]. */
  spans: Uint32Array;
}

/** The opening tag of the article, where reading starts. */
const articleTag = /<[a-zA-Z][^<>]*?\sdata-pagefind-body[\s=/>]/;
const pageLanguage = /<html[^>]*?\slang="([^"]*)"/;

/**
 * Finds the article in a page: from its opening tag to where it closes, the rest of the page is
 * not read. Text that Pagefind also reads as metadata (an element with `data-pagefind-meta="title"`,
 * say) is left out of the spans: parts added there would show up in the result's title. Read with
 * a tokenizer, without building a tree: on thousands of pages this is most of the indexing time.
 */
export function locateArticle(html: string): ArticleLocation | undefined {
  const start = articleTag.exec(html)?.index;
  if (start === undefined) return undefined;
  const spans: number[] = [];
  let end = html.length;
  const open: { inArticle: boolean; skipped: boolean }[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const parent = open.at(-1) ?? { inArticle: false, skipped: false };
        const meta = attributes['data-pagefind-meta'];
        open.push({
          inArticle: parent.inArticle || 'data-pagefind-body' in attributes,
          skipped:
            parent.skipped ||
            skippedElements.has(name) ||
            'data-pagefind-ignore' in attributes ||
            (parent.inArticle && meta !== undefined && !meta.includes('[') && !meta.includes(':')),
        });
      },
      onclosetag() {
        open.pop();
        if (open.length > 0) return;
        end = start + parser.endIndex + 1;
        parser.pause();
      },
      ontext() {
        const { inArticle, skipped } = open.at(-1) ?? { inArticle: false, skipped: true };
        if (inArticle && !skipped) spans.push(start + parser.startIndex, start + parser.endIndex + 1);
      },
    },
    { decodeEntities: false },
  );
  parser.end(html.slice(start));
  return { start, end, lang: pageLanguage.exec(html)?.[1] ?? '', spans: Uint32Array.from(spans) };
}

// Astro writes text with character references (&amp;, &#39;); they are never part of a word.
const characterReference = /(&#?\w+;)/;

export interface CompoundIndexOptions extends CompoundOptions {
  /** Pagefind weight of the added parts: low, so that a whole word ranks above a part. */
  weight: number;
}

/** Writes the words of an article for the index (see compoundAnnotator). */
export interface CompoundAnnotator {
  /** The words that may be compounds: long enough for two parts. */
  candidates: RegExp;
  annotate(word: string): string;
}

/**
 * Writes a word for the index: a compound followed by the parts it does not start with, in an
 * element Pagefind indexes with a low weight, "informatiebeleidsplan<span
 * data-pagefind-weight="0.1"> ⟦plan beleid beleidsplan⟧</span>"; any other word as it is. One per
 * build: it remembers every word it has seen.
 */
export function compoundAnnotator(
  vocabulary: ReadonlySet<string>,
  { weight, ...compoundOptions }: CompoundIndexOptions = { weight: 0.1, ...defaultCompoundOptions },
): CompoundAnnotator {
  const known = new Map<string, string>();
  return {
    candidates: new RegExp(`\\p{L}{${2 * compoundOptions.minPartLength},}`, 'gu'),
    annotate(word) {
      let annotated = known.get(word);
      if (annotated === undefined) {
        // Pagefind already finds a word by its start: "informatie" finds "informatiebeleidsplan".
        const lower = word.toLocaleLowerCase('nl');
        const parts = compoundParts(word, vocabulary, compoundOptions).filter(
          (part) => !lower.startsWith(part),
        );
        annotated = parts.length
          ? `${word}<span data-pagefind-weight="${weight}">${partsText(parts)}</span>`
          : word;
        known.set(word, annotated);
      }
      return annotated;
    },
  };
}

/**
 * The article alone, as the document Pagefind indexes (half the bytes of the page to parse), with
 * its compounds annotated (compoundAnnotator).
 */
export function indexDocument(
  html: string,
  { start, end, lang, spans }: ArticleLocation,
  { candidates, annotate }: CompoundAnnotator,
): { html: string; compounds: number } {
  let compounds = 0;
  const annotateCounting = (word: string) => {
    const annotated = annotate(word);
    if (annotated !== word) compounds++;
    return annotated;
  };
  const annotateText = (text: string) => text.replace(candidates, annotateCounting);
  let article = '';
  let copied = start;
  for (let i = 0; i < spans.length; i += 2) {
    const [from, to] = [spans[i]!, spans[i + 1]!];
    const text = html.slice(from, to);
    const value = text.includes('&')
      ? text
          .split(characterReference)
          .map((segment) => (characterReference.test(segment) ? segment : annotateText(segment)))
          .join('')
      : annotateText(text);
    if (value !== text) {
      article += html.slice(copied, from) + value;
      copied = to;
    }
  }
  article += html.slice(copied, end);
  return { html: pageOf(article, lang), compounds };
}

/** A page of its own holding only `article`, in `lang`: what Pagefind gets of each page. */
const pageOf = (article: string, lang: string) =>
  `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body>${article}</body></html>`;
