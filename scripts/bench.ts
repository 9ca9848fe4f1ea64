// `npm run bench`: what the site costs as content grows, next to Astro + MDX alone.
// Prints a Markdown report and writes it to docs/benchmarks.md. Not part of `npm test`.
//
//   npm run bench                       sizes 100 and 1,000 (a few minutes)
//   npm run bench -- --sizes 100,1000,10000 --runs 2    the full run (about 15 minutes)
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import autocannon from 'autocannon';
import { startServer } from '../e2e/fixtures/server.ts';
import { ogImageCacheFile, type OgCard } from '../src/server/og-image.ts';
import { buildCacheDir } from '../src/site.config.ts';
import { writeCorpus } from './bench/corpus.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000' },
    'skip-bare': { type: 'boolean', default: false },
    events: { type: 'string', default: '50000' },
    // Builds from scratch per size, ours and bare; the fastest counts.
    runs: { type: 'string', default: '1' },
    out: { type: 'string', default: 'docs/benchmarks.md' },
  },
});
const sizes = values.sizes.split(',').map(Number);

/** Debian's Chromium where it is installed, else Playwright's own browser. */
const launchBrowser = () =>
  chromium.launch({
    executablePath: statSync('/usr/bin/chromium', { throwIfNoEntry: false })
      ? '/usr/bin/chromium'
      : undefined,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
// The search measures come after the builds: a missing browser must stop the run before them.
try {
  await (await launchBrowser()).close();
} catch (error) {
  console.error(
    `npm run bench needs a browser: apt-get install -y chromium (${String(error).split('\n')[0]})`,
  );
  process.exit(1);
}
const work = join('node_modules', '.cache', 'bench');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

interface Run {
  seconds: number;
  peakMb: number;
  status: number | null;
  output: string;
  /** Each line of the output with the moment it came, in seconds from the start. */
  lines: { at: number; text: string }[];
}

/** Runs a command, sampling the peak resident memory of its process tree from /proc. */
function measured(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    const lines: Run['lines'] = [];
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const at = (performance.now() - started) / 1000;
      for (const text of String(chunk).split('\n')) if (text.trim()) lines.push({ at, text });
    });
    let peakKb = 0;
    const treeRss = (pid: number): number => {
      try {
        const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean);
        return rss + children.reduce((sum, child) => sum + treeRss(Number(child)), 0);
      } catch {
        return 0;
      }
    };
    const sampler = setInterval(() => (peakKb = Math.max(peakKb, treeRss(child.pid!))), 100);
    child.on('exit', (status) => {
      clearInterval(sampler);
      resolve({
        seconds: (performance.now() - started) / 1000,
        peakMb: peakKb / 1024,
        status,
        output,
        lines,
      });
    });
  });
}

function folderBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((sum, file) => {
    const stat = statSync(join(dir, file));
    return stat.isFile() ? sum + stat.size : sum;
  }, 0);
}

const pagesIn = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.html')).length;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const astro = 'node_modules/astro/bin/astro.mjs';

/** Other work on the machine only ever makes a build slower: the fastest run is closest to its own cost. */
const fastest = (runs: Run[]) => runs.reduce((best, run) => (run.seconds < best.seconds ? run : best));
const secondsOf = (runs: Run[]) => runs.map((run) => `${run.seconds.toFixed(1)} s`).join(', ');

/**
 * Where the time of a build goes, from its log: starting and reading the content, Vite compiling
 * the modules (server, client, prerender), rendering or keeping the pages, and what comes after
 * them (search index, sitemap, the adapter's server build).
 */
function phases(run: Run): string {
  const at = (pattern: RegExp, from = 0) =>
    run.lines.find((line) => line.at >= from && pattern.test(line.text))?.at;
  const compiling = at(/Building (server|static) entrypoints/) ?? 0;
  const pages = at(/(prerendering|generating) static routes/) ?? compiling;
  const pagesDone = at(/✓ Completed in/, pages) ?? pages;
  const kept = (run.output.match(/\((restored|cached)\)/g) ?? []).length;
  const s = (seconds: number) => `${seconds.toFixed(1)} s`;
  return `start ${s(compiling)}, compile ${s(pages - compiling)}, pages ${s(pagesDone - pages)} (${kept.toLocaleString('en')} kept), after the pages ${s(run.seconds - pagesDone)}`;
}

/** A word found in no corpus: the change a one-part build must show, in the page and in search. */
const changeWord = 'zwaluwstaartverbinding';

/** Whether search finds `word` on the page at `url`: Pagefind's fragments, gzipped JSON after a signature. */
function searchHas(clientDir: string, url: string, word: string): boolean {
  const dir = join(clientDir, 'pagefind', 'fragment');
  return readdirSync(dir).some((file) => {
    const text = gunzipSync(readFileSync(join(dir, file))).toString('utf8');
    return text.includes(`"url":"${url}"`) && text.includes(word);
  });
}

const rows: string[] = [];
const incrementalRows: string[] = [];
const phaseRows: string[] = [];
const runNotes: string[] = [];
for (const size of sizes) {
  const contentDir = join(process.cwd(), work, `content-${size}`);
  const corpus = writeCorpus(contentDir, size);
  console.error(`\n${size} parts in ${corpus.series} series: building…`);

  const outDir = join(work, `ours-${size}`);
  const bareDir = join(process.cwd(), work, `bare-${size}`);
  const bareRoot = join(work, 'bare');
  cpSync('scripts/bench/bare-astro', bareRoot, { recursive: true });
  // Ours and bare take turns, so that both meet the same moments of a busy machine. Each build
  // starts from scratch: ours without what an earlier build kept (its content store and pages),
  // bare with --force, which leaves out Astro's content cache.
  const ours: Run[] = [];
  const bare: Run[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(buildCacheDir(contentDir), { recursive: true, force: true });
    ours.push(await measured([astro, 'build', '--outDir', outDir], { CONTENT_DIR: contentDir }));
    if (ours.at(-1)!.status !== 0) break;
    if (values['skip-bare']) continue;
    rmSync(bareDir, { recursive: true, force: true });
    bare.push(
      await measured([astro, 'build', '--force', '--root', bareRoot, '--outDir', bareDir], {
        CONTENT_DIR: contentDir,
      }),
    );
  }
  const failed = ours.find((run) => run.status !== 0);
  if (failed) {
    rows.push(
      `| ${size} | build failed (exit ${failed.status}, peak ${failed.peakMb.toFixed(0)} MB) | | | | | | | | | | | |`,
    );
    continue;
  }
  const first = fastest(ours);
  const pages = pagesIn(join(outDir, 'client'));
  // The next builds of the same folder are incremental: nothing changed, then one part's text
  // (a sentence more each time). As many of each as of the first build; the fastest counts.
  const seriesDir = join(contentDir, 'posts', readdirSync(join(contentDir, 'posts')).sort()[0]!);
  const changedFile = readdirSync(seriesDir).sort()[0]!;
  const seconds: Run[] = [];
  const changes: Run[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    seconds.push(await measured([astro, 'build', '--outDir', outDir], { CONTENT_DIR: contentDir }));
    appendFileSync(
      join(seriesDir, changedFile),
      `\nEen zin over de ${changeWord} die alleen dit deel heeft (${run + 1}).\n`,
    );
    changes.push(await measured([astro, 'build', '--outDir', outDir], { CONTENT_DIR: contentDir }));
  }
  const second = fastest(seconds);
  const changed = fastest(changes);
  const changedUrl = `/${seriesDir.split('/').at(-1)}/${changedFile.replace(/\.mdx$/, '')}/`;
  const changedPage = readFileSync(join(outDir, 'client', changedUrl, 'index.html'), 'utf8');
  const changeShown = [
    changedPage.includes(changeWord) ? 'page' : 'not in the page',
    searchHas(join(outDir, 'client'), changedUrl, changeWord) ? 'search' : 'not in search',
  ];
  const searchDir = join(outDir, 'client', 'pagefind');
  const searchBytes = statSync(searchDir, { throwIfNoEntry: false }) ? folderBytes(searchDir) : 0;
  // Pagefind indexes while pages render; what it adds to the build is its time after the last page.
  const indexing = Number(
    /Indexed \d+ articles for search in [\d.]+ s, of which ([\d.]+) s after the pages/.exec(
      first.output,
    )?.[1] ?? 0,
  );
  const bareFastest = bare.length > 0 ? fastest(bare) : undefined;
  runNotes.push(
    `${size.toLocaleString('en')} parts: ours ${secondsOf(ours)}${bareFastest ? `; bare ${secondsOf(bare)}` : ''}; second build ${secondsOf(seconds)}, after one changed part ${secondsOf(changes)}.`,
  );
  incrementalRows.push(
    `| ${size.toLocaleString('en')} | ${first.seconds.toFixed(1)} s | ${second.seconds.toFixed(1)} s | ${(second.seconds / first.seconds).toFixed(2)} | ${changed.seconds.toFixed(1)} s | ${(changed.seconds / first.seconds).toFixed(2)} | ${changeShown.join(' and ')} |`,
  );
  for (const [label, run] of [
    ['bare, first build', bareFastest],
    ['first build', first],
    ['second build', second],
    ['one part changed', changed],
  ] as const) {
    if (run) phaseRows.push(`| ${size.toLocaleString('en')} | ${label} | ${phases(run)} |`);
  }

  const ratio = (seconds: number) => (bareFastest ? (seconds / bareFastest.seconds).toFixed(2) : '–');
  rows.push(
    `| ${size.toLocaleString('en')} | ${pages.toLocaleString('en')} | ${first.seconds.toFixed(1)} s | ${((first.seconds / pages) * 1000).toFixed(1)} ms | ${mb(folderBytes(join(outDir, 'client')))} MB | ${searchBytes ? `${mb(searchBytes)} MB` : '–'} | ${indexing.toFixed(1)} s | ${bareFastest ? `${bareFastest.seconds.toFixed(1)} s` : '–'} | ${ratio(first.seconds)} | ${ratio(first.seconds - indexing)} | ${first.peakMb.toFixed(0)} MB | ${bareFastest ? `${bareFastest.peakMb.toFixed(0)} MB` : '–'} | ${bareFastest ? (first.peakMb / bareFastest.peakMb).toFixed(2) : '–'} |`,
  );
  if (size !== Math.max(...sizes)) rmSync(outDir, { recursive: true, force: true });
  rmSync(bareDir, { recursive: true, force: true });
}

// Search, on the largest build: what a reader's first and follow-up queries cost, in Chromium.
const largest = Math.max(...sizes);
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
  const server = await startServer(join(work, `ours-${largest}`), { REEKS_DB_PATH: join(work, 'search.db') });
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

// Readers: the weight of a page as a browser receives it (gzip), on the real content.
const siteDir = join(work, 'site');
{
  const build = await measured([astro, 'build', '--outDir', siteDir], {});
  if (build.status !== 0) throw new Error('the build of content/ failed');
}
const weightRows: string[] = [];
for (const [name, path] of [
  ['part', 'digitale-transformatie/kansen-voor-de-dienstverlening/'],
  ['home', ''],
] as const) {
  const html = readFileSync(join(siteDir, 'client', path, 'index.html'));
  const assets = (pattern: RegExp) =>
    [...html.toString().matchAll(pattern)].map(
      ([, src]) => gzipSync(readFileSync(join(siteDir, 'client', src!))).length,
    );
  const css = assets(/<link rel="stylesheet" href="\/([^"]+)"/g).reduce((a, b) => a + b, 0);
  const js = assets(/<script[^>]+src="\/([^"]+)"/g).reduce((a, b) => a + b, 0);
  const page = gzipSync(html).length;
  weightRows.push(
    `| ${name} (/${path}) | ${(page / 1024).toFixed(1)} KB | ${(css / 1024).toFixed(1)} KB | ${(js / 1024).toFixed(1)} KB | ${((page + css + js) / 1024).toFixed(1)} KB |`,
  );
}

// Preview images: drawn by the server on the first request for a page, then read from the cache.
const previewRows: string[] = [];
{
  const cards: Record<string, OgCard> = JSON.parse(
    readFileSync(join(siteDir, 'server', 'site-manifest.json'), 'utf8'),
  ).ogCards;
  const path = '/digitale-transformatie/kansen-voor-de-dienstverlening/';
  rmSync(ogImageCacheFile(cards[path]!), { force: true });
  const server = await startServer(siteDir, { REEKS_DB_PATH: join(work, 'preview.db') });
  try {
    for (const label of ['first request (drawn)', 'second request (cache)']) {
      const started = performance.now();
      const response = await fetch(`${server.url}/og${path.replace(/\/$/, '')}.png`);
      const bytes = (await response.arrayBuffer()).byteLength;
      if (response.status !== 200) throw new Error(`preview image: ${response.status}`);
      previewRows.push(
        `| ${label} | ${(performance.now() - started).toFixed(0)} ms | ${(bytes / 1024).toFixed(0)} KB |`,
      );
    }
  } finally {
    await server.stop();
  }
}

// The event collector under load on loopback: 50 connections of valid events, then the stored
// rows compared with the 2xx answers.
const database = join(work, 'events.db');
const server = await startServer(siteDir, { REEKS_DB_PATH: database, REEKS_EVENTS_PER_MINUTE: '100000000' });
// A fixed number of requests rather than a duration, so that every request sent is answered
// before the count: the rows stored must equal the 2xx answers.
const loadStarted = performance.now();
const load = await autocannon({
  url: `${server.url}/api/events/`,
  method: 'POST',
  connections: 50,
  amount: Number(values.events),
  // A view of part 2 from a campaign link, read on from part 1: every field the collector cleans.
  headers: {
    'content-type': 'application/json',
    origin: server.url,
    referer: `${server.url}/digitale-transformatie/kansen-voor-de-dienstverlening/?utm_source=linkedin&utm_campaign=najaar`,
  },
  body: JSON.stringify({
    type: 'pageview',
    path: '/digitale-transformatie/kansen-voor-de-dienstverlening/',
    author: 'job-coenen',
    series: 'digitale-transformatie',
    part: 2,
    referrer: `${server.url}/digitale-transformatie/de-impact-op-het-informatiebeleid/`,
  }),
});
const loadSeconds = (performance.now() - loadStarted) / 1000;
await server.stop('SIGKILL');
const stored = (new DatabaseSync(database).prepare('SELECT count(*) AS n FROM events').get() as { n: number })
  .n;
const eventRows = [
  `| answered 2xx | ${load['2xx'].toLocaleString('en')} | |`,
  `| rows stored | ${stored.toLocaleString('en')} | equal to the 2xx answers (${stored === load['2xx'] ? 'yes' : 'NO'}) |`,
  `| other answers, errors, timeouts | ${(load.non2xx + load.errors + load.timeouts).toLocaleString('en')} | 0 |`,
  `| events per second | ${Math.round(load['2xx'] / loadSeconds).toLocaleString('en')} | at least 5,000 |`,
  `| latency p50 / p99 | ${load.latency.p50} ms / ${load.latency.p99} ms | |`,
];

const report = `# Benchmarks

Measured by \`npm run bench -- --sizes ${values.sizes} --runs ${values.runs}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${mb(totalmem())} MB memory, Node ${process.version}.

## Build

Synthetic Dutch parts of about 700 words (headings, a list, links, the model figure) in series of
3 to 12 parts (\`scripts/bench/corpus.ts\`). "Bare" is Astro 7 + MDX rendering the same files with
nothing else (\`scripts/bench/bare-astro\`). Each build time is the fastest of ${values.runs} from
scratch (\`--runs\`), ours and bare taking turns; every run is listed below the table. Pagefind
indexes each page while the next ones render; "indexing after the pages" is the time search
adds after the last page (writing the index). Preview images are not part of a build (the server
draws each on its first request, see below).

| parts | pages | build | per page | output | search index | indexing after the pages | bare | ours / bare | without indexing / bare | peak memory | bare's | memory ours / bare |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Every run: ${runNotes.join(' ')}

### Incremental builds

After the first builds, the same corpus is built again with nothing changed, then once more
after a sentence with a word found nowhere else was added to one part (docs/builds.md), both
${values.runs} times in turn; the fastest of each counts, against the fastest first build.
Targets: second build at most 0.6 of the first, one changed part at most 0.65, with the change
in the page and in search.

| parts | first build | second build, nothing changed | second / first | one part changed | changed / first | the change is in |
| --- | --- | --- | --- | --- | --- | --- |
${incrementalRows.join('\n')}

Where the time goes, from each build's log (bare's first build too): starting and reading the
content, Vite compiling the modules, rendering the pages (or keeping them), and what follows the
pages (the search index, the sitemap, the adapter's server build).

| parts | build | phases |
| --- | --- | --- |
${phaseRows.join('\n')}

## Search

On the ${largest.toLocaleString('en')}-part build, served by \`npm start\` on loopback, in Chromium: a reader on a
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

## Page weight

The real content as a browser receives it (gzip), before the reader opens search.

| page | HTML | CSS | JavaScript | total |
| --- | --- | --- | --- | --- |
${weightRows.join('\n')}

## Preview images

The 1200×630 Open Graph image of a part, asked of \`npm start\` on loopback.

| request | time | size |
| --- | --- | --- |
${previewRows.join('\n')}

## Event collector

${Number(values.events).toLocaleString('en')} valid events from 50 connections (autocannon) against \`npm start\` with a
real SQLite file (WAL, synchronous=FULL); the server is then killed with SIGKILL and the rows
counted.

| measure | value | target |
| --- | --- | --- |
${eventRows.join('\n')}
`;

mkdirSync('docs', { recursive: true });
writeFileSync(values.out, report);
console.log(report);
