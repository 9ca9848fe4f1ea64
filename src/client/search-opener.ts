// The header's search link as a button: a click on it, "/" and Ctrl/Cmd+K open the search dialog.
// Only then is the search code loaded; the search page and a page opened from a result (which
// highlights the search words) load it at once. Without JavaScript the link opens /zoeken/.
import { highlightParam } from '../lib/search-paths.ts';
import { loadScript } from './load-script.ts';
import searchModule from './search.ts?worker&url';

const search = () => loadScript(searchModule);
const button = document.querySelector<HTMLAnchorElement>('a[data-search-open]')!;
const searchPage = document.querySelector('[data-search-page]');

function openSearch(returnFocus: Element | null) {
  if (searchPage) return searchPage.querySelector('input')!.focus();
  search().then(
    () => window.openSearchDialog!(returnFocus as HTMLElement),
    () => location.assign(button.href),
  );
}

// The search code starts the search page, or highlights the words of a page opened from a result.
if (searchPage || location.search.includes(highlightParam)) search();

button.setAttribute('role', 'button');
button.setAttribute('aria-haspopup', 'dialog');
button.addEventListener('click', (event) => {
  // Ctrl/Cmd/Shift-click still opens the search page in a new tab or window.
  if (event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  openSearch(button);
});

document.addEventListener('keydown', (event) => {
  const { target, key, ctrlKey, metaKey, altKey } = event;
  const typing = (target as HTMLElement).matches('input,textarea,select,[contenteditable]');
  const open =
    (key === ' ' && target === button) ||
    (key === '/' && !typing && !ctrlKey && !metaKey && !altKey) ||
    (key.toLowerCase() === 'k' && (ctrlKey || metaKey) && !altKey);
  if (!open) return;
  event.preventDefault();
  openSearch(document.activeElement);
});
