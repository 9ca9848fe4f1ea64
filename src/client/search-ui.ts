// The search interface the dialog and the search page share, on Pagefind's JavaScript API
// (pagefind.js in the index folder the build writes; Pagefind searches in a web worker). It asks
// Pagefind only for what a reader sees: the number of results, and the data of one page of
// results at a time. Nothing here runs before a reader opens search.
import { readableExcerpt } from '../lib/search-excerpt.ts';
import { highlightParam, searchBundlePath } from '../lib/search-paths.ts';
import { moreLabel, resultDetails, resultSummary, type ResultMeta } from '../lib/search-results.ts';

/** Results shown at first, and added by each press of "Meer resultaten": one data fragment each. */
export const pageSize = 5;
/** How long the search waits after the last keystroke. */
export const debounceMs = 200;

/** A result before its data is loaded (Pagefind's PagefindSearchResult). */
interface PagefindResult {
  id: string;
  data(): Promise<ResultData>;
}

/** What a result shows (part of Pagefind's PagefindSearchFragment). */
export interface ResultData {
  /** With the highlight parameter for the part page's highlighter. */
  url: string;
  /** Page text with `<mark>` around the matched words, escaped by Pagefind. */
  excerpt: string;
  meta: ResultMeta;
}

export type FilterCounts = Record<string, Record<string, number>>;

interface PagefindSearch {
  results: PagefindResult[];
  filters: FilterCounts;
}

/** The part of pagefind.js this site uses (the file has no types). */
export interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  search(term: string, options?: { filters?: object }): Promise<PagefindSearch>;
  /** Every filter value with its number of pages. After this, every search also counts filters. */
  filters(): Promise<FilterCounts>;
}

let loading: Promise<Pagefind> | undefined;

/** Loads pagefind.js once, and with it the WebAssembly and the index metadata. */
export function loadPagefind(): Promise<Pagefind> {
  loading ??= (async () => {
    const pagefind = (await import(/* @vite-ignore */ `${searchBundlePath}pagefind.js`)) as Pagefind;
    await pagefind.options({ highlightParam });
    await pagefind.init();
    return pagefind;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One result: title linking to the part, its series, part, date and reading time, the excerpt. */
export function renderResult(result: ResultData): HTMLLIElement {
  const item = element('li', 'border-t border-stone-200 py-4 first:border-t-0 dark:border-stone-700');
  const title = element('p', 'm-0 text-base font-semibold leading-snug');
  const link = element('a', '', result.meta.title ?? result.url);
  link.href = result.url;
  title.append(link);
  item.append(title);
  const details = resultDetails(result.meta);
  if (details) item.append(element('p', 'mt-1 mb-0 text-sm text-stone-700 dark:text-stone-300', details));
  const excerpt = readableExcerpt(result.excerpt);
  if (excerpt) {
    const paragraph = element(
      'p',
      'mt-2 mb-0 text-sm leading-relaxed text-stone-700 dark:text-stone-300 [&_mark]:rounded-sm [&_mark]:bg-amber-200 [&_mark]:px-0.5 [&_mark]:text-stone-950 dark:[&_mark]:bg-amber-300',
    );
    // Pagefind escapes the page text; the only markup in an excerpt is its own <mark>.
    paragraph.innerHTML = excerpt;
    item.append(paragraph);
  }
  return item;
}

/** The search box, the summary (a live region) and the result list with its "more" button. */
export interface SearchPanel {
  form: HTMLFormElement;
  input: HTMLInputElement;
  status: HTMLElement;
  results: HTMLUListElement;
  more: HTMLButtonElement;
}

let panels = 0;

export function createSearchPanel(): SearchPanel {
  const form = element('form', 'm-0');
  form.setAttribute('role', 'search');
  form.dataset.searchDebounce = String(debounceMs);
  const label = element('label', 'sr-only', 'Zoekwoorden');
  const input = element(
    'input',
    'block w-full rounded-md border border-stone-400 bg-white px-3 py-2 text-base text-stone-900 placeholder:text-stone-600 dark:border-stone-500 dark:bg-stone-900 dark:text-stone-100 dark:placeholder:text-stone-400',
  );
  Object.assign(input, {
    type: 'search',
    id: `zoekwoorden-${++panels}`,
    autocomplete: 'off',
    spellcheck: false,
  });
  input.placeholder = 'Zoek in alle artikelen';
  label.htmlFor = input.id;
  form.append(label, input);
  // Read out when it changes: the number of results, or that there are none. Never display:none,
  // so screen readers keep listening to it.
  const status = element('p', 'mt-3 mb-0 min-h-6 text-sm text-stone-700 dark:text-stone-300');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const results = element('ul', 'm-0 list-none p-0');
  results.setAttribute('aria-label', 'Zoekresultaten');
  const more = element(
    'button',
    'mt-2 cursor-pointer rounded-md border border-stone-400 bg-transparent px-3 py-1.5 text-sm text-stone-900 hover:border-stone-600 dark:border-stone-500 dark:text-stone-100',
  );
  more.type = 'button';
  more.hidden = true;
  return { form, input, status, results, more };
}

export interface SearchOptions {
  /** The filters to search with (the search page's checkboxes). */
  filters?: () => object;
  /** Called with the searched words, trimmed ('' when the box is emptied). */
  onSearch?: (term: string) => void;
  /** Called with Pagefind's filter counts for the words searched. */
  onFilterCounts?: (counts: FilterCounts) => void;
}

/**
 * Wires a panel to Pagefind: searches when typing pauses, says how many results there are and
 * shows the first page of them. Returns a function that searches at once (for ?q= and for a
 * changed filter).
 */
export function connectSearch(
  pagefind: Pagefind,
  panel: SearchPanel,
  options: SearchOptions = {},
): () => void {
  const { form, input, status, results, more } = panel;
  let latest = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: { found: PagefindResult[]; shown: number } | undefined;

  async function showMore(search: number, focusFirst: boolean) {
    if (!current) return;
    const { found, shown } = current;
    const page = found.slice(shown, shown + pageSize);
    more.disabled = true;
    const data = await Promise.all(page.map((result) => result.data()));
    if (search !== latest) return;
    const items = data.map(renderResult);
    results.append(...items);
    current.shown += items.length;
    more.hidden = current.shown >= found.length;
    more.disabled = false;
    more.textContent = moreLabel(current.shown, found.length);
    if (focusFirst) items[0]?.querySelector('a')?.focus();
  }

  async function search() {
    clearTimeout(timer);
    const search = ++latest;
    const term = input.value.trim();
    options.onSearch?.(term);
    if (!term) {
      current = undefined;
      status.textContent = '';
      results.replaceChildren();
      more.hidden = true;
      return;
    }
    const { results: found, filters } = await pagefind.search(term, { filters: options.filters?.() ?? {} });
    if (search !== latest) return;
    current = { found, shown: 0 };
    status.textContent = resultSummary(found.length, term);
    options.onFilterCounts?.(filters);
    results.replaceChildren();
    more.hidden = true;
    await showMore(search, false);
  }

  const run = () => void search().catch(showError);
  function showError() {
    status.textContent = 'Zoeken is op dit moment niet beschikbaar. Probeer het later opnieuw.';
  }

  // No preload() while typing: the index chunks of every prefix typed ("i", "in", …) would be
  // fetched too, hundreds of kilobytes on a large site that the search never needs.
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });
  more.addEventListener('click', () => void showMore(latest, true).catch(showError));
  return run;
}
