// The search page /zoeken/: the search words live in the address (?q=), so a search can be
// shared, reloaded, and comes back when the reader returns from a result with Back.
import { loadSearchUi, useResultTemplate } from './search-ui.ts';

export async function startSearchPage(): Promise<void> {
  const instance = await loadSearchUi().catch(() => undefined);
  if (!instance) {
    // No index (a development server before the first build) or no connection.
    const message = Object.assign(document.createElement('p'), {
      role: 'alert',
      textContent: 'Zoeken is op dit moment niet beschikbaar. Probeer het later opnieuw.',
    });
    document.querySelector('[data-search-page]')?.prepend(message);
    return;
  }
  useResultTemplate(document);
  instance.on(
    'search',
    (term) => {
      const url = new URL(location.href);
      if (term.trim()) url.searchParams.set('q', term.trim());
      else url.searchParams.delete('q');
      // Replaced, not pushed: Back leaves the page instead of stepping through every keystroke.
      if (url.href !== location.href) history.replaceState(history.state, '', url);
    },
    document,
  );
  const term = new URLSearchParams(location.search).get('q')?.trim();
  if (term) instance.triggerSearch(term);
}
