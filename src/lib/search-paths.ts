// Where the search index lives and how a result link carries the search words, shared by the
// build (src/integrations/search-index.ts) and the browser code (src/client/, SearchButton.astro).

/** Pagefind's folder below the site root: index, UI and highlighter. */
export const searchBundlePath = '/pagefind/';

/** The query parameter that carries the search words to the page of a result. */
export const highlightParam = 'pagefind-highlight';

/**
 * Where a production build keeps its search indexer while pages render (on globalThis, shared by
 * src/integrations/search-index.ts and the middleware that hands it each page).
 */
export const pageIndexerKey = Symbol.for('reeks:page-indexer');
