// Everything search needs in the browser, as one module the header's loader imports on first use
// (one file, so the loader needs no preload helper for shared chunks).
export { openSearchDialog } from './search-dialog.ts';
export { startSearchPage } from './search-page.ts';
