// The search indexer on its own, with pages made up here and real Pagefind: which pages it
// indexes, that the index depends on the output alone (an incremental build relies on it), and
// that compound parts are in the index. A full build with Astro is in
// incremental-build.integration.test.ts.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { indexPages } from './page-indexer.ts';

const temporary: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'reeks-indexer-'));
  temporary.push(dir);
  return dir;
};

/** The posts' sources, whose words are the vocabulary compounds are split into. */
const contentDir = folder();
mkdirSync(join(contentDir, 'posts', 'reeks'), { recursive: true });
writeFileSync(
  join(contentDir, 'posts', 'reeks', 'deel-1.mdx'),
  '---\ntitle: Deel een\n---\nOver informatie, beleid en het zaaksysteem.\n',
);
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const article = (title: string, text: string) =>
  `<!doctype html><html lang="nl"><body><nav>Menu</nav><article data-pagefind-body><h1>${title}</h1><p>${text}</p></article></body></html>`;

const site: Record<string, string> = {
  '/reeks/deel-1/': article('Deel een', 'Over het zaaksysteem en het informatiebeleid van de gemeente.'),
  '/reeks/deel-2/': article('Deel twee', 'Over informatiebeleid en archief.'),
  '/reeks/deel-3/': article('Deel drie', 'Over de wijkteams en hun gegevens.'),
  '/over/': '<!doctype html><html lang="nl"><body><p>Geen artikel</p></body></html>',
};

/**
 * Writes `pages` (in the order given) as a build's output, indexes it and returns the index
 * folder; a new build, unless `cacheDir` is one an earlier build used.
 */
async function indexOf(pages: [string, string][], cacheDir = folder()) {
  const outDir = folder();
  for (const [url, html] of pages) {
    mkdirSync(join(outDir, url), { recursive: true });
    writeFileSync(join(outDir, url, 'index.html'), html);
  }
  const reply = await indexPages(contentDir, outDir, join(outDir, 'pagefind'), cacheDir);
  expect(reply).toHaveProperty('report');
  return { dir: join(outDir, 'pagefind'), reply };
}

/** Every file of an index, by name. */
function indexFiles(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.includes('.'))
      .map((file) => [file, readFileSync(join(dir, file))]),
  );
}

/** What search has for each page: Pagefind's fragments, gzipped JSON after a signature. */
function documents(dir: string): Map<string, string> {
  const fragments = join(dir, 'fragment');
  return new Map(
    readdirSync(fragments).map((file) => {
      const text = gunzipSync(readFileSync(join(fragments, file))).toString('utf8');
      const document = JSON.parse(text.replace(/^pagefind_dcd/, '')) as { url: string; content: string };
      return [document.url, document.content];
    }),
  );
}

describe('the search indexer', () => {
  it('indexes every page with an article, and only those', async () => {
    const { dir, reply } = await indexOf(Object.entries(site));
    expect(reply).toMatchObject({ report: { pages: 3, reused: false } });
    expect([...documents(dir).keys()].sort()).toEqual(['/reeks/deel-1/', '/reeks/deel-2/', '/reeks/deel-3/']);
  });

  it('splits compounds into the words of the vocabulary for the index only', async () => {
    const { dir } = await indexOf(Object.entries(site));
    const content = documents(dir).get('/reeks/deel-1/')!;
    expect(content).toMatch(/informatiebeleid ⟦beleid⟧/);
  });

  it('makes the same index of the same pages, whatever order they were written in', async () => {
    const pages = Object.entries(site);
    const first = indexFiles((await indexOf(pages)).dir);
    expect(indexFiles((await indexOf([...pages].reverse())).dir)).toEqual(first);
  });

  it('copies the last index when no page changed, and indexes again when one did', async () => {
    const cacheDir = folder();
    const pages = Object.entries(site);
    const first = await indexOf(pages, cacheDir);
    const unchanged = await indexOf(pages, cacheDir);
    expect(unchanged.reply).toMatchObject({ report: { pages: 3, reused: true } });
    expect(indexFiles(unchanged.dir)).toEqual(indexFiles(first.dir));
    const changed = pages.map(([url, html]): [string, string] =>
      url === '/reeks/deel-3/' ? [url, article('Deel drie', 'Over zwaluwstaartverbindingen.')] : [url, html],
    );
    const after = await indexOf(changed, cacheDir);
    expect(after.reply).toMatchObject({ report: { reused: false } });
    expect(documents(after.dir).get('/reeks/deel-3/')).toContain('zwaluwstaartverbindingen');
    expect(indexFiles(after.dir)).toEqual(indexFiles((await indexOf(changed)).dir));
  });
});
