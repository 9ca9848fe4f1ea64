// Search, on the largest corpus build: what a reader's first and follow-up queries cost, in
// Chromium, served by `npm start`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../../../e2e/fixtures/server.ts';
import { launchBrowser, work, type BenchSection } from '../shared.ts';

export const section: BenchSection = {
  name: 'search',
  title: 'Search',
  // The search measures come after the builds: a missing browser must stop the run before them.
  async check() {
    try {
      await (await launchBrowser()).close();
    } catch (error) {
      throw new Error(
        `npm run bench needs a browser: apt-get install -y chromium (${String(error).split('\n')[0]})`,
        { cause: error },
      );
    }
  },
  async run({ corpusBuilds }) {
    if (corpusBuilds.size === 0)
      throw new Error('search measures the largest corpus build: run it with builds');
    const largest = Math.max(...corpusBuilds.keys());
    const searchRows: string[] = [];
    const searchBytesRows: string[] = [];
    let searchDebounce = 0;
    /** What a request of search is, by its path. */
    const kinds = [
      [
        'search code and Pagefind',
        /^\/(_astro\/search|pagefind\/(pagefind[\w-]*\.js|pagefind-entry\.json|wasm\.))/,
      ],
      ['list of pages', /^\/pagefind\/.*\.pf_meta$/],
      ['index of the words', /^\/pagefind\/(index|filter)\//],
      ['data of the results shown', /^\/pagefind\/fragment\//],
    ] as const;
    {
      const server = await startServer(corpusBuilds.get(largest)!, {
        REEKS_DB_PATH: join(work, 'search.db'),
      });
      const browser = await launchBrowser();
      const partUrl = readdirSync(join(work, `ours-${largest}`, 'client'), {
        recursive: true,
        encoding: 'utf8',
      }).find((file) => /deel-02\/index\.html$/.test(file))!;
      /** A reader on a part opens search with "/" and types each query in turn, with an empty cache. */
      const session = async (terms: string[]) => {
        const context = await browser.newContext();
        const page = await context.newPage();
        // Context events include the requests of Pagefind's worker; sizes are as transferred.
        const transferred = new Map<string, number>();
        // When the last file of the library or index (not a result's data fragment) arrived.
        let lastIndexFileAt = 0;
        context.on('requestfinished', async (request) => {
          const path = new URL(request.url()).pathname;
          if (path.startsWith('/pagefind/') && !path.startsWith('/pagefind/fragment/'))
            lastIndexFileAt = performance.now();
          const sizes = await request.sizes();
          const kind = kinds.find(([, pattern]) => pattern.test(path))?.[0] ?? 'other';
          transferred.set(
            kind,
            (transferred.get(kind) ?? 0) + sizes.responseBodySize + sizes.responseHeadersSize,
          );
        });
        await page.goto(`${server.url}/${partUrl.replace(/index\.html$/, '')}`);
        await page.waitForLoadState('networkidle');
        transferred.clear();
        await page.keyboard.press('/');
        const dialog = page.getByRole('dialog');
        const input = dialog.getByRole('searchbox');
        // The search box waits this long after the last keystroke before it searches.
        searchDebounce = Number(
          await dialog.locator('[data-search-debounce]').getAttribute('data-search-debounce'),
        );
        const results = [];
        for (const term of terms) {
          await input.pressSequentially(term);
          const searchFrom = performance.now() + searchDebounce;
          // The result count, in the dialog's live region.
          const summary = await page.waitForFunction(
            (term) => {
              const summary = document.querySelector('dialog [role="status"]')?.textContent ?? '';
              return /^[\d.]+ resulta/.test(summary) && summary.endsWith(` voor ${term}`) && summary;
            },
            term,
            { polling: 'raf' },
          );
          // From the later of: the search starting after the debounce, the last index file arriving.
          const start = Math.max(searchFrom, lastIndexFileAt);
          const toCount = performance.now() - start;
          // The first results on screen, their data fragments loaded after the count.
          await dialog.getByRole('list', { name: 'Zoekresultaten' }).getByRole('link').first().waitFor();
          const toResults = performance.now() - start;
          await page.waitForLoadState('networkidle');
          // The count as the page writes it, in Dutch ("10.000"), for an English report.
          const pages = Number(
            /^[\d.]+/.exec(String(await summary.jsonValue()))![0].replace(/\./g, ''),
          ).toLocaleString('en');
          results.push({ term, pages, bytes: new Map(transferred), toCount, toResults });
          await input.fill('');
          await page.waitForLoadState('networkidle');
          transferred.clear();
        }
        await context.close();
        return results;
      };
      try {
        const [first, followUp] = await session(['gemeente', 'informatiebeleid']);
        const [rare] = await session(['zaaksysteem']);
        const kb = (bytes: Map<string, number>, kind?: string) =>
          `${((kind ? (bytes.get(kind) ?? 0) : [...bytes.values()].reduce((a, b) => a + b, 0)) / 1024).toFixed(0)} KB`;
        const firstTarget = 'under 150 KB; results under 100 ms';
        const queries = [
          ['first', first!, firstTarget],
          ['follow-up', followUp!, 'results under 100 ms'],
          ['first', rare!, firstTarget],
        ] as const;
        for (const [which, query, target] of queries) {
          const label = `${which} query ("${query.term}", on ${query.pages} pages)`;
          searchRows.push(
            `| ${label} | ${kb(query.bytes)} | ${query.toCount.toFixed(0)} ms | ${query.toResults.toFixed(0)} ms | ${target} |`,
          );
          searchBytesRows.push(`| ${label} | ${kinds.map(([kind]) => kb(query.bytes, kind)).join(' | ')} |`);
        }
      } finally {
        await browser.close();
        await server.stop();
      }
    }

    return `On the ${largest.toLocaleString('en')}-part build, served by \`npm start\` on loopback, in Chromium: a reader on a
part opens search with "/" and types; each first query starts with an empty cache. Bytes
transferred (compressed) for everything the query loads (search code, Pagefind, index, and the
data of the results shown), and the time from the later of the arrival of the last index file and
the start of the search (the search box waits ${searchDebounce} ms after the last keystroke) to the
result count on screen, and to the first results on screen (their data is fetched after the count).

| query | transferred | to result count | to first results | target |
| --- | --- | --- | --- | --- |
${searchRows.join('\n')}

Where those bytes go. Pagefind's code and its list of pages (a name and a word count per page)
are loaded whatever the query; the index holds, for each word, every place it occurs on every page.

| query | ${kinds.map(([kind]) => kind).join(' | ')} |
|${' --- |'.repeat(kinds.length + 1)}
${searchBytesRows.join('\n')}
`;
  },
};
