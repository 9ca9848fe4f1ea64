// Pagefind's Component UI, loaded from the index folder the build writes, with what the search
// page and the search dialog share: configuration, Dutch wording and how a result looks.
// Nothing here runs before a reader opens search.
import { readableExcerpt } from '../lib/search-excerpt.ts';
import { highlightParam, searchBundlePath as bundlePath } from '../lib/search-paths.ts';

/** The part of Pagefind's Component UI this site uses (pagefind-component-ui.js has no types). */
export interface SearchInstance {
  triggerSearch(term: string): void;
  setTranslations(strings: Record<string, string>): void;
  on(event: 'search', callback: (term: string) => void, owner?: object): void;
}

interface PagefindComponents {
  configureInstance(name: string, options: Record<string, unknown>): SearchInstance;
}

/** A result as Pagefind hands it to a result template. */
export interface SearchResult {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
}

function loadStylesheet(href: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href });
    link.addEventListener('load', () => resolve());
    link.addEventListener('error', () => reject(new Error(`Could not load ${href}`)));
    document.head.append(link);
  });
}

let loading: Promise<SearchInstance> | undefined;

/** Loads the Component UI once and configures the search instance every component shares. */
export function loadSearchUi(): Promise<SearchInstance> {
  loading ??= (async () => {
    await Promise.all([
      loadStylesheet(`${bundlePath}pagefind-component-ui.css`),
      import(/* @vite-ignore */ `${bundlePath}pagefind-component-ui.js`),
    ]);
    const { configureInstance } = (window as unknown as { PagefindComponents: PagefindComponents }).PagefindComponents;
    const instance = configureInstance('default', { bundlePath, highlightParam });
    // Pagefind's Dutch translation says "Reset" on the clear button.
    instance.setTranslations({ clear_search: 'Wissen' });
    return instance;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

/** One result: title linking to the part, its series, part, date and reading time, the excerpt. */
export function renderResult(result: SearchResult): HTMLElement {
  const element = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) => {
    const node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const { meta } = result;
  // pf-result, pf-result-card and pf-result-link keep Pagefind's keyboard navigation and card.
  const item = element('li', 'pf-result');
  const card = element('div', 'pf-result-card');
  const content = element('div', 'min-w-0 flex-1 text-stone-700 dark:text-stone-300');
  const title = element('p', 'm-0 text-base font-semibold leading-snug text-stone-900 dark:text-stone-100');
  const link = element('a', 'pf-result-link', meta.title ?? result.url);
  link.href = result.url;
  title.append(link);
  const details = [meta.reeks, meta.deel, meta.datum, meta.leestijd].filter(Boolean).join(' · ');
  content.append(title, element('p', 'mt-1 mb-0 text-sm', details));
  const excerpt = readableExcerpt(result.excerpt);
  if (excerpt) {
    const paragraph = element(
      'p',
      'mt-2 mb-0 text-sm leading-relaxed [&_mark]:rounded-sm [&_mark]:bg-amber-200 [&_mark]:px-0.5 [&_mark]:text-stone-950 dark:[&_mark]:bg-amber-300',
    );
    // Pagefind escapes the page text; the only markup in an excerpt is its own <mark>.
    paragraph.innerHTML = excerpt;
    content.append(paragraph);
  }
  card.append(content);
  item.append(card);
  return item;
}

/** Gives every <pagefind-results> inside `root` this site's result template. */
export function useResultTemplate(root: ParentNode) {
  for (const results of root.querySelectorAll('pagefind-results')) {
    (results as HTMLElement & { resultTemplate: typeof renderResult }).resultTemplate = renderResult;
  }
}
