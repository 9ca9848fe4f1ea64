// Where the search index lives and how a result link carries the search words, shared by the
// build (src/integrations/search-index.ts) and the browser code (src/client/, SearchButton.astro).

/** Pagefind's folder below the site root: index, UI and highlighter. */
export const searchBundlePath = '/pagefind/';

/** The query parameter that carries the search words to the page of a result. */
export const highlightParam = 'pagefind-highlight';
