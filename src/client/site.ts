// The one script of every page (BaseLayout.astro), under 1 KB gzipped (e2e/metadata-budgets-and-headers.spec.ts):
// the search opener, the contact tracking of a page with the contact block, and what loads the
// message form's script when the reader starts on the form. Each part does nothing on a page
// without its element; the search and form code itself is loaded only when used.
import './search-opener.ts';
import './contact-tracking.ts';
import './message-form-loader.ts';
