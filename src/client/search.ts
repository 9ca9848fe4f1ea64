// Everything search needs in the browser, bundled on its own (see load-script.ts) and loaded by
// the header's opener (search-opener.ts) on first use. It starts the search page, highlights the
// search words on a page opened from a result, and gives the opener the dialog on `window`.
import { highlightParam, searchBundlePath } from '../lib/search-paths.ts';
import { openSearchDialog } from './search-dialog.ts';
import { startSearchPage } from './search-page.ts';

declare global {
  interface Window {
    /** Set once this module has loaded. */
    openSearchDialog?: typeof openSearchDialog;
  }
}

window.openSearchDialog = openSearchDialog;

void startSearchPage();
if (new URLSearchParams(location.search).has(highlightParam)) {
  import(/* @vite-ignore */ `${searchBundlePath}pagefind-highlight.js`).then(
    ({ default: PagefindHighlight }) => new PagefindHighlight({ highlightParam }),
  );
}
