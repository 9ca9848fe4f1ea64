// The search dialog the header button and the shortcuts open: Pagefind's modal (a native
// <dialog>, so the rest of the page is inert while it is open) with this site's results, a link
// to the search page, which adds filters, and a close button. Pagefind's keyboard hints are left
// out: in the dialog they announce "esc wissen" while Escape closes it.
import { loadSearchUi, useResultTemplate, type SearchInstance } from './search-ui.ts';

interface PagefindModal extends HTMLElement {
  open(): void;
  close(): void;
  readonly isOpen: boolean;
  dialogEl: HTMLDialogElement | null;
}

let modal: PagefindModal | undefined;

function createModal(instance: SearchInstance): PagefindModal {
  // Empty, so Pagefind builds its own header, body and footer: components moved into the dialog
  // after they connected would set themselves up twice.
  const element = document.createElement('pagefind-modal') as PagefindModal;
  document.body.append(element);
  useResultTemplate(element);

  const pageLink = Object.assign(document.createElement('a'), {
    href: '/zoeken/',
    className: 'text-sm',
    textContent: 'Zoekpagina met filters',
  });
  instance.on(
    'search',
    (term) => (pageLink.href = term ? `/zoeken/?q=${encodeURIComponent(term)}` : '/zoeken/'),
    pageLink,
  );
  const close = Object.assign(document.createElement('button'), {
    type: 'button',
    className:
      'ml-auto cursor-pointer rounded border border-stone-300 bg-transparent px-2 py-1 text-sm text-stone-800 dark:border-stone-600 dark:text-stone-200',
    innerHTML: 'Sluiten <kbd aria-hidden="true" class="font-sans text-xs text-stone-600 dark:text-stone-400">Esc</kbd>',
  });
  close.setAttribute('aria-keyshortcuts', 'Escape');
  close.addEventListener('click', () => element.close());
  element.querySelector('pagefind-modal-footer')?.replaceChildren(pageLink, close);

  const dialog = element.dialogEl!;
  // Pagefind labels the dialog with its "search" keyboard hint, in lower case.
  dialog.setAttribute('aria-label', 'Zoeken op deze site');
  dialog.addEventListener('keydown', (event) => keepFocusInside(dialog, event));
  return element;
}

/** A modal <dialog> makes the page inert, but Tab can still leave it for the browser's own UI. */
function keepFocusInside(dialog: HTMLDialogElement, event: KeyboardEvent) {
  if (event.key !== 'Tab') return;
  const focusable = [...dialog.querySelectorAll<HTMLElement>('a[href], button, input')].filter((element) =>
    element.checkVisibility(),
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
export async function openSearchDialog(returnFocus: HTMLElement | null): Promise<void> {
  const instance = await loadSearchUi();
  modal ??= createModal(instance);
  if (modal.isOpen) return;
  modal.open();
  modal.dialogEl?.addEventListener('close', () => returnFocus?.isConnected && returnFocus.focus(), { once: true });
}
