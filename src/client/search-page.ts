// The search page /zoeken/: the search panel with filters. The search words live in the address
// (?q=), so a search can be shared, reloaded, and comes back when the reader returns from a
// result with Back.
import { filterGroups, pagefindFilters, type FilterSelection } from '../lib/search-results.ts';
import { connectSearch, createSearchPanel, loadPagefind, type FilterCounts } from './search-ui.ts';

const numberFormat = new Intl.NumberFormat('nl-NL');

/** A fieldset of checkboxes per filter; returns what is checked and a way to update the counts. */
function createFilterPane(all: FilterCounts, onChange: () => void) {
  const pane = document.createElement('div');
  pane.className = 'flex flex-col gap-6';
  const counts = new Map<HTMLInputElement, HTMLElement>();
  for (const { key, label } of filterGroups) {
    const values = Object.keys(all[key] ?? {}).sort((a, b) => a.localeCompare(b, 'nl'));
    if (values.length === 0) continue;
    const fieldset = document.createElement('fieldset');
    fieldset.className = 'm-0 min-w-0 border-0 p-0';
    const legend = Object.assign(document.createElement('legend'), {
      className: 'mb-2 p-0 font-semibold',
      textContent: label,
    });
    const list = document.createElement('ul');
    // Long lists (a site with many series) scroll within their group.
    list.className = 'm-0 flex max-h-72 list-none flex-col gap-1 overflow-y-auto p-0 pl-1';
    for (const value of values) {
      const item = document.createElement('li');
      const option = document.createElement('label');
      option.className = 'flex cursor-pointer items-start gap-2 text-sm';
      const checkbox = Object.assign(document.createElement('input'), {
        type: 'checkbox',
        name: key,
        value,
        className: 'mt-1 shrink-0 accent-teal-800 dark:accent-teal-300',
      });
      checkbox.addEventListener('change', onChange);
      const count = document.createElement('span');
      count.className = 'text-stone-700 dark:text-stone-300';
      counts.set(checkbox, count);
      const text = Object.assign(document.createElement('span'), { textContent: `${value} ` });
      text.append(count);
      option.append(checkbox, text);
      item.append(option);
      list.append(item);
    }
    fieldset.append(legend, list);
    pane.append(fieldset);
  }
  const showCounts = (current: FilterCounts) => {
    for (const [checkbox, count] of counts) {
      count.textContent = `(${numberFormat.format(current[checkbox.name]?.[checkbox.value] ?? 0)})`;
    }
  };
  showCounts(all);
  const selection = (): FilterSelection => {
    const selected: Record<string, string[]> = {};
    for (const checkbox of counts.keys())
      if (checkbox.checked) (selected[checkbox.name] ??= []).push(checkbox.value);
    return selected;
  };
  return { pane, selection, showCounts };
}

export async function startSearchPage(): Promise<void> {
  const container = document.querySelector<HTMLElement>('[data-search-page]');
  if (!container) return;
  let pagefind: Awaited<ReturnType<typeof loadPagefind>>;
  let all: FilterCounts;
  try {
    pagefind = await loadPagefind();
    all = await pagefind.filters();
  } catch {
    // No index (a development server before the first build) or no connection.
    const message = Object.assign(document.createElement('p'), {
      role: 'alert',
      textContent: 'Zoeken is op dit moment niet beschikbaar. Probeer het later opnieuw.',
    });
    container.prepend(message);
    return;
  }

  const panel = createSearchPanel();
  let search = () => {};
  const filters = createFilterPane(all, () => search());
  const layout = document.createElement('div');
  layout.className = 'mt-4 grid gap-8 md:grid-cols-[13rem_1fr]';
  const resultsColumn = document.createElement('div');
  resultsColumn.className = 'min-w-0';
  resultsColumn.append(panel.results, panel.more);
  layout.append(filters.pane, resultsColumn);
  container.append(panel.form, panel.status, layout);

  search = connectSearch(pagefind, panel, {
    filters: () => pagefindFilters(filters.selection()),
    onFilterCounts: filters.showCounts,
    onSearch: (term) => {
      const url = new URL(location.href);
      if (term) url.searchParams.set('q', term);
      else url.searchParams.delete('q');
      // Replaced, not pushed: Back leaves the page instead of stepping through every keystroke.
      if (url.href !== location.href) history.replaceState(history.state, '', url);
    },
  });
  const term = new URLSearchParams(location.search).get('q')?.trim();
  if (term) {
    panel.input.value = term;
    search();
  }
}
