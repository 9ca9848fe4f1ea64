// The search indexer on its own, with pages made up here: what an incremental build does when a
// page it handed to Pagefind from the last build's record is rendered after all (its code changed),
// and when that record lacks an article. The index must then still be the one a full build makes.
// Real Pagefind; a full build with Astro is in incremental-build.integration.test.ts.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPageIndexer } from './page-indexer.ts';
import { indexAfterBuild } from './search-index/after-build.ts';

const contentDir = 'e2e/fixtures/content';
const temporary: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'reeks-indexer-'));
  temporary.push(dir);
  return dir;
};
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

interface MadePage {
  url: string;
  key: string;
  html: string;
}

const article = (title: string, text: string) =>
  `<!doctype html><html lang="nl"><body><nav>Menu</nav><article data-pagefind-body><h1>${title}</h1><p>${text}</p></article></body></html>`;

const site: MadePage[] = [
  { url: '/reeks/deel-1/', key: 'a1', html: article('Deel een', 'Over het zaaksysteem van de gemeente.') },
  { url: '/reeks/deel-2/', key: 'b1', html: article('Deel twee', 'Over informatiebeleid en archief.') },
  { url: '/reeks/deel-3/', key: 'c1', html: article('Deel drie', 'Over de wijkteams en hun gegevens.') },
  {
    url: '/over/',
    key: 'd1',
    html: '<!doctype html><html lang="nl"><body><p>Geen artikel</p></body></html>',
  },
];

/**
 * One build as Astro runs it: the output folder holds the pages kept from the last build, the
 * indexer is told every page in order, then gets the rendered ones, then writes the index.
 */
async function build(pages: MadePage[], rendered: Set<string>, cacheDir: string, outDir: string) {
  for (const page of pages) {
    const dir = join(outDir, page.url);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.html'), page.html);
  }
  const indexer = await createPageIndexer(contentDir, cacheDir);
  // Pages render after the indexer has read what the last build left: on a large site, most do.
  await indexer.expect(pages.map(({ url, key }) => ({ path: url.replace(/\/$/, ''), key })));
  for (const page of pages) if (rendered.has(page.url)) indexer.add(page.url, page.html);
  const reply = await indexer.finish(join(outDir, 'pagefind'), outDir);
  expect(reply).toHaveProperty('report');
  return join(outDir, 'pagefind');
}

const everyPage = (pages: MadePage[]) => new Set(pages.map((page) => page.url));

/** Every file of an index, by name. */
function indexFiles(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.includes('.'))
      .map((file) => [file, readFileSync(join(dir, file))]),
  );
}

async function fullBuild(pages: MadePage[]) {
  return indexFiles(await build(pages, everyPage(pages), folder(), folder()));
}

describe('the search indexer, in a second build', () => {
  it('builds the index again when a page it took from the last build is rendered and differs', async () => {
    const cacheDir = folder();
    const outDir = folder();
    await build(site, everyPage(site), cacheDir, outDir);
    // Same keys, but the second part renders differently (its layout changed, say).
    const changed = site.map((page) =>
      page.key === 'b1' ? { ...page, html: article('Deel twee', 'Over zwaluwstaartverbindingen.') } : page,
    );
    const index = await build(changed, new Set(['/reeks/deel-2/']), cacheDir, outDir);
    expect(indexFiles(index)).toEqual(await fullBuild(changed));
  });

  it('reads a kept page from the output when the last build left no article for it', async () => {
    const cacheDir = folder();
    const outDir = folder();
    await build(site, everyPage(site), cacheDir, outDir);
    rmSync(join(cacheDir, 'search-index', 'articles'), { recursive: true });
    mkdirSync(join(cacheDir, 'search-index', 'articles'));
    const changed = site.map((page) =>
      page.key === 'a1'
        ? { ...page, key: 'a2', html: article('Deel een', 'Over het nieuwe zaaksysteem.') }
        : page,
    );
    const index = await build(changed, new Set(['/reeks/deel-1/']), cacheDir, outDir);
    expect(indexFiles(index)).toEqual(await fullBuild(changed));
  });

  it('keeps the last index when no page changed, and a build that stops leaves no record', async () => {
    const cacheDir = folder();
    const outDir = folder();
    const first = indexFiles(await build(site, everyPage(site), cacheDir, outDir));
    expect(indexFiles(await build(site, new Set(), cacheDir, outDir))).toEqual(first);
    // A build that never finishes takes the record with it: the next one reads every kept page.
    await createPageIndexer(contentDir, cacheDir);
    expect(readdirSync(join(cacheDir, 'search-index'))).not.toContain('pages.json');
    expect(indexFiles(await build(site, new Set(), cacheDir, outDir))).toEqual(first);
  });
});

describe('the plain way, after the build (bench only)', () => {
  it('makes the index the streaming indexer makes, its pages in path order', async () => {
    const byPath = [...site].sort((a, b) => a.url.localeCompare(b.url));
    const outDir = folder();
    for (const page of byPath) {
      mkdirSync(join(outDir, page.url), { recursive: true });
      writeFileSync(join(outDir, page.url, 'index.html'), page.html);
    }
    const reply = await indexAfterBuild(contentDir, outDir, join(outDir, 'pagefind'));
    expect(reply).toMatchObject({ report: { pages: 3, kept: 0, reused: false } });
    expect(indexFiles(join(outDir, 'pagefind'))).toEqual(await fullBuild(byPath));
  });
});
