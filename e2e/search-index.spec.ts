// The search index on fixture content, built for this test: a whole word ranks above the same
// word as part of a compound, and a part added to the content is found after a rebuild. The
// built pages are served from a small static server, as any static host would.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { contentTree, fixturesDir, writeTestSeriesPart } from './fixtures/content-tree.ts';

let contentDir = '';
let outDir = '';
let server: Server | undefined;
let origin = '';

function build() {
  const result = spawnSync(
    process.execPath,
    ['node_modules/astro/bin/astro.mjs', 'build', '--force', '--outDir', outDir],
    {
      env: { ...process.env, CONTENT_DIR: contentDir, ASTRO_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8',
    },
  );
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
}

const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
};

test.beforeAll(async () => {
  contentDir = contentTree(join(fixturesDir, 'content', 'base'), join(fixturesDir, 'content', 'search'));
  // Inside the project, so the build can resolve its packages while it prerenders.
  mkdirSync(join('node_modules', '.cache'), { recursive: true });
  outDir = resolve(mkdtempSync(join('node_modules', '.cache', 'reeks-search-dist-')));
  const clientDir = join(outDir, 'client');
  const staticServer = createServer((request, response) => {
    // URL parsing has already resolved any "..": the path stays inside clientDir.
    const path = join(clientDir, decodeURIComponent(new URL(request.url!, 'http://x').pathname));
    const file = statSync(path, { throwIfNoEntry: false })?.isDirectory() ? join(path, 'index.html') : path;
    try {
      const body = readFileSync(file);
      response
        .writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => staticServer.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`;
  server = staticServer;
});

test.afterAll(() => {
  server?.close();
  if (contentDir) rmSync(contentDir, { recursive: true, force: true });
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

async function resultPaths(page: Page, term: string): Promise<string[]> {
  await page.goto(`${origin}/zoeken/?q=${encodeURIComponent(term)}`);
  const summary = page.locator('[data-search-page]').getByRole('status');
  await expect(summary).toHaveText(/^(\d+ resultaa?te?n?|Geen resultaten) voor /);
  const count = Number(/^(\d+) resulta/.exec((await summary.textContent()) ?? '')?.[1] ?? 0);
  const links = page.getByRole('list', { name: 'Zoekresultaten' }).getByRole('listitem').getByRole('link');
  await expect(links).toHaveCount(count);
  const hrefs = await links.evaluateAll((elements) => elements.map((link) => link.getAttribute('href')!));
  return hrefs.map((href) => new URL(href, origin).pathname);
}

test('a whole word ranks above a compound part, and a new part is found after a rebuild', async ({
  page,
}) => {
  test.setTimeout(120_000);
  build();

  // "Een heldere vraag" says "beleid" once; the other article says "informatiebeleidsplan" three times.
  expect(await resultPaths(page, 'beleid')).toEqual([
    '/artikelen/een-heldere-vraag/',
    '/artikelen/het-informatiebeleidsplan/',
  ]);
  expect(await resultPaths(page, 'beleidsplan')).toEqual(['/artikelen/het-informatiebeleidsplan/']);

  expect(await resultPaths(page, 'vliegwielgesprek')).toEqual([]);
  await expect(page.locator('[data-search-page]').getByRole('status')).toHaveText(
    'Geen resultaten voor vliegwielgesprek',
  );

  writeTestSeriesPart(contentDir, {
    name: 'derde-deel',
    title: 'Derde deel',
    part: 3,
    date: '2021-03-10',
    description: 'Een nieuw deel.',
    body: 'Dit deel gaat over het vliegwielgesprek met inwoners.',
  });
  build();
  expect(await resultPaths(page, 'vliegwielgesprek')).toEqual(['/testreeks/derde-deel/']);
  const result = page.getByRole('list', { name: 'Zoekresultaten' }).getByRole('listitem');
  await expect(result).toContainText('Testreeks · Deel 3 · 10 maart 2021 · 1 min leestijd');
});

test('beyond the first five results, "Meer resultaten" shows the next ones and moves focus to them', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // Seven more articles about the same thing: nine results for "wegwijzer", shown five at a time.
  for (let n = 1; n <= 7; n++) {
    writeFileSync(
      join(contentDir, 'posts', `wegwijzer-${n}.mdx`),
      [
        '---',
        `title: Wegwijzer ${n}`,
        'description: Een wegwijzer.',
        `date: 2021-04-0${n}`,
        'author: anna-de-vries',
        'services:',
        '  - testdienst',
        '---',
        '',
        `Wegwijzer ${n} over de wegwijzer voor inwoners.`,
        '',
      ].join('\n'),
    );
  }
  build();
  await page.goto(`${origin}/zoeken/?q=wegwijzer`);
  await expect(page.locator('[data-search-page]').getByRole('status')).toHaveText(
    '7 resultaten voor wegwijzer',
  );
  const links = page.getByRole('list', { name: 'Zoekresultaten' }).getByRole('listitem').getByRole('link');
  await expect(links).toHaveCount(5);
  const more = page.getByRole('button', { name: /^Meer resultaten/ });
  await expect(more).toHaveText('Meer resultaten (5 van 7 getoond)');
  await more.click();
  await expect(links).toHaveCount(7);
  await expect(links.nth(5)).toBeFocused();
  await expect(more).toBeHidden();
  const titles = await links.allTextContents();
  expect(new Set(titles).size).toBe(7);
  expect(titles.every((title) => title.startsWith('Wegwijzer '))).toBe(true);
});
