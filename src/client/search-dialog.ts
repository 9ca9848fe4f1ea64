// The search dialog the header button and the shortcuts open: a native modal <dialog> (the rest
// of the page is inert while it is open, Escape closes it) with the search panel, a link to the
// search page, which adds filters, and a close button. It never loads Pagefind's filters: with
// them, every search would also count the pages of every filter value.
import { connectSearch, createSearchPanel, loadPagefind } from './search-ui.ts';

let dialog: HTMLDialogElement | undefined;

/** Builds the dialog; it searches once Pagefind has loaded, with what was typed meanwhile. */
function createDialog(): HTMLDialogElement {
  const element = document.createElement('dialog');
  element.className =
    'm-auto mt-[8vh] max-h-[84vh] w-[calc(100%-1rem)] max-w-2xl overflow-y-auto rounded-lg border border-stone-300 bg-white p-4 text-stone-900 shadow-xl backdrop:bg-stone-950/60 sm:p-6 dark:border-stone-700 dark:bg-stone-900 dark:text-stone-100';
  element.setAttribute('aria-label', 'Zoeken op deze site');

  const panel = createSearchPanel();
  panel.input.autofocus = true;
  const pageLink = Object.assign(document.createElement('a'), {
    href: '/zoeken/',
    className: 'text-sm',
    textContent: 'Zoekpagina met filters',
  });
  const close = Object.assign(document.createElement('button'), {
    type: 'button',
    className:
      'ml-auto cursor-pointer rounded-md border border-stone-400 bg-transparent px-2 py-1 text-sm text-stone-900 hover:border-stone-600 dark:border-stone-500 dark:text-stone-100',
    innerHTML:
      'Sluiten <kbd aria-hidden="true" class="font-sans text-xs text-stone-700 dark:text-stone-300">Esc</kbd>',
  });
  close.setAttribute('aria-keyshortcuts', 'Escape');
  close.addEventListener('click', () => element.close());
  const footer = document.createElement('div');
  footer.className =
    'mt-4 flex flex-wrap items-center gap-3 border-t border-stone-200 pt-4 dark:border-stone-700';
  footer.append(pageLink, close);
  element.append(panel.form, panel.status, panel.results, panel.more, footer);
  document.body.append(element);

  loadPagefind().then(
    (pagefind) => {
      const search = connectSearch(pagefind, panel, {
        onSearch: (term) => (pageLink.href = term ? `/zoeken/?q=${encodeURIComponent(term)}` : '/zoeken/'),
      });
      if (panel.input.value.trim()) search();
    },
    () => {
      // No connection: say so, and build the dialog again the next time it opens.
      panel.status.textContent = 'Zoeken is op dit moment niet beschikbaar. Probeer het later opnieuw.';
      element.addEventListener('close', () => ((dialog = undefined), element.remove()), { once: true });
    },
  );
  element.addEventListener('keydown', (event) => {
    // Escape closes, also from a search box with words in it (where the browser would only empty it).
    if (event.key === 'Escape') {
      event.preventDefault();
      element.close();
    }
    keepFocusInside(element, event);
  });
  // A click on the backdrop (the dialog element itself, outside its content box) closes it.
  element.addEventListener('click', (event) => {
    if (event.target !== element) return;
    const box = element.getBoundingClientRect();
    const inside =
      event.clientX >= box.left &&
      event.clientX <= box.right &&
      event.clientY >= box.top &&
      event.clientY <= box.bottom;
    if (!inside) element.close();
  });
  return element;
}

/** A modal <dialog> makes the page inert, but Tab can still leave it for the browser's own UI. */
function keepFocusInside(dialog: HTMLDialogElement, event: KeyboardEvent) {
  if (event.key !== 'Tab') return;
  const focusable = [...dialog.querySelectorAll<HTMLElement>('a[href], button, input')].filter(
    (element) => element.checkVisibility() && !(element as HTMLButtonElement).disabled,
  );
  const [first, last] = [focusable[0], focusable.at(-1)];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last?.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first?.focus();
  }
}

/** Opens the dialog; on close, focus goes back to `returnFocus` (the button, or what had focus). */
export function openSearchDialog(returnFocus: HTMLElement | null): void {
  dialog ??= createDialog();
  if (dialog.open) return;
  dialog.showModal();
  dialog.addEventListener('close', () => returnFocus?.isConnected && returnFocus.focus(), { once: true });
}
