// The built pages as the search index sees them. Only the article (the element marked
// `data-pagefind-body`, minus what is marked `data-pagefind-ignore`) is searchable; these
// functions read its words and hand Pagefind a copy of the page with each compound followed by its
// parts. The page readers get is not changed.
import { DOCUMENT_NODE, ELEMENT_NODE, TEXT_NODE, parse, renderSync, type Node, type TextNode } from 'ultrahtml';
import { compoundParts, defaultCompoundOptions, type CompoundOptions } from './compounds.ts';
import { partsText } from './search-excerpt.ts';

/** Elements whose text Pagefind never indexes. */
const skippedElements = new Set(['script', 'style', 'template', 'noscript', 'svg', 'form']);

/**
 * Text nodes of the article that Pagefind indexes. Text that Pagefind also reads as metadata
 * (an element with `data-pagefind-meta="title"`, say) is left out: parts added there would show
 * up in the result's title.
 */
function articleTextNodes(html: string): { document: Node; nodes: TextNode[] } | undefined {
  const document: Node = parse(html);
  const nodes: TextNode[] = [];
  let found = false;
  const visit = (node: Node, inArticle: boolean) => {
    if (node.type === TEXT_NODE) {
      if (inArticle) nodes.push(node);
      return;
    }
    if (node.type !== ELEMENT_NODE && node.type !== DOCUMENT_NODE) return;
    let inside = inArticle;
    if (node.type === ELEMENT_NODE) {
      const { attributes, name } = node;
      if (skippedElements.has(name) || 'data-pagefind-ignore' in attributes) return;
      const meta = attributes['data-pagefind-meta'];
      if (inside && meta !== undefined && !meta.includes('[') && !meta.includes(':')) return;
      if ('data-pagefind-body' in attributes) inside = found = true;
    }
    for (const child of node.children) visit(child, inside);
  };
  visit(document, false);
  return found ? { document, nodes } : undefined;
}

// Astro writes text with character references (&amp;, &#39;); they are never part of a word.
const characterReference = /(&#?\w+;)/;

/** The words a reader reads in the article of a page; undefined for a page without an article. */
export function articleText(html: string): string | undefined {
  const article = articleTextNodes(html);
  if (!article) return undefined;
  return article.nodes.map((node) => node.value.replace(new RegExp(characterReference, 'g'), ' ')).join(' ');
}

export interface CompoundIndexOptions extends CompoundOptions {
  /** Pagefind weight of the added parts: low, so that a whole word ranks above a part. */
  weight: number;
}

const wordPattern = /\p{L}+/gu;

/**
 * The page with every compound in its article followed by its parts, in an element Pagefind
 * indexes with a low weight: "informatiebeleidsplan<span data-pagefind-weight="0.1">
 * ⟦informatie beleid plan …⟧</span>". Returns the page unchanged when it has no compounds.
 */
export function withCompoundParts(
  html: string,
  vocabulary: ReadonlySet<string>,
  { weight, ...compoundOptions }: CompoundIndexOptions = { weight: 0.1, ...defaultCompoundOptions },
): { html: string; compounds: number } {
  const article = articleTextNodes(html);
  if (!article) return { html, compounds: 0 };
  const known = new Map<string, string>();
  const annotate = (word: string) => {
    let annotated = known.get(word);
    if (annotated === undefined) {
      const parts = compoundParts(word, vocabulary, compoundOptions);
      annotated = parts.length
        ? `${word}<span data-pagefind-weight="${weight}">${partsText(parts)}</span>`
        : word;
      known.set(word, annotated);
    }
    return annotated;
  };
  let compounds = 0;
  for (const node of article.nodes) {
    const value = node.value
      .split(characterReference)
      .map((segment) => (characterReference.test(segment) ? segment : segment.replace(wordPattern, annotate)))
      .join('');
    if (value !== node.value) {
      compounds += (value.match(/data-pagefind-weight/g) ?? []).length;
      node.value = value;
    }
  }
  return { html: compounds ? renderSync(article.document) : html, compounds };
}
