// The nightly publish (`npm run publish`, scripts/publish.ts) on fixture content: a part dated
// tomorrow is not on the site today, and is after the command runs with tomorrow's date: the
// running server switches to the new release by itself, without a restart (src/server/workers.ts).
// Announced parts show the month they are expected.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatDutchMonth, todayIn } from '../src/lib/dates.ts';
import { site } from '../src/site.config.ts';
import { runPublish } from './fixtures/build.ts';
import { fixtureContent, writeTestSeriesPart } from './fixtures/content-tree.ts';
import { startServer, type RunningServer } from './fixtures/server.ts';

let contentDir = '';
let dir = '';
let server: RunningServer | undefined;

/** A calendar day `days` after `day` (YYYY-MM-DD). */
const plusDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const today = todayIn(site.timeZone);
const tomorrow = plusDays(today, 1);
const nextYear = `${Number(today.slice(0, 4)) + 1}-03`;

function publish(...args: string[]) {
  const result = runPublish(dir, contentDir, args);
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  return result;
}

/**
 * Serves `current` the way `npm start -- current` does: started after the first publish; after a
 * later one, the same server switches to the new release. Resolves once it serves the release
 * `current` points at and has recorded its parts.
 */
async function serveCurrent() {
  const release = readlinkSync(join(dir, 'current')).replace(/^releases\//, '');
  server ??= await startServer(join(dir, 'current'), { REEKS_DB_PATH: join(dir, 'site.db') });
  await expect
    .poll(() => server!.output(), { timeout: 30_000 })
    .toMatch(new RegExp(`^Publications: .*\\brelease ${release}\\b`, 'm'));
}

async function seriesPage(page: Page) {
  await page.goto(`${server!.url}/testreeks/`);
  return page.getByRole('list', { name: 'Delen van de reeks Testreeks' }).getByRole('listitem');
}

test.beforeAll(() => {
  contentDir = fixtureContent();
  writeTestSeriesPart(contentDir, {
    name: 'derde-deel',
    title: 'Derde deel',
    part: 3,
    date: tomorrow,
    description: 'Het deel van morgen.',
    body: 'Tekst van het derde deel.',
  });
  writeFileSync(
    join(contentDir, 'series', 'testreeks.yaml'),
    [
      'title: Testreeks',
      'description: Een reeks om mee te testen.',
      'plannedParts:',
      '  - part: 4',
      '    title: Vierde deel',
      `    expected: ${nextYear}`,
      '  - part: 5',
      '    title: Vijfde deel',
      '',
    ].join('\n'),
  );
  // Inside the project: the built server finds its packages in node_modules.
  mkdirSync(join('node_modules', '.cache'), { recursive: true });
  dir = resolve(mkdtempSync(join('node_modules', '.cache', 'reeks-publish-')));
});

test.afterAll(async () => {
  await server?.stop();
  for (const folder of [contentDir, dir]) if (folder) rmSync(folder, { recursive: true, force: true });
});

test("a part dated tomorrow goes live when the nightly publish runs with tomorrow's date", async ({
  page,
  request,
}) => {
  test.setTimeout(360_000);
  publish();
  const first = readlinkSync(join(dir, 'current'));
  await serveCurrent();
  expect((await request.get(`${server!.url}/testreeks/derde-deel/`)).status()).toBe(404);
  // Built without the editor's settings: no editor, and one line on how to turn it on.
  expect(server!.output()).toMatch(
    /^Editor: off\. To edit on the live site, set KEYSTATIC_GITHUB_CLIENT_ID, .*\(docs\/editor-on-the-live-site\.md\)\.$/m,
  );
  expect((await request.get(`${server!.url}/admin/`)).status()).toBe(404);
  const before = await seriesPage(page);
  await expect(before).toHaveCount(4);
  // Announced parts: with the month the series file gives, or "binnenkort".
  await expect(before.nth(2)).toContainText('Vierde deel');
  await expect(before.nth(2)).toContainText(`verwacht in ${formatDutchMonth(nextYear)}`);
  await expect(before.nth(3)).toContainText('Vijfde deel');
  await expect(before.nth(3)).toContainText('binnenkort');
  expect(await (await request.get(`${server!.url}/testreeks/rss.xml`)).text()).not.toContain('Derde deel');

  publish('--date', tomorrow);
  // A new release; the one the running server was started on is still there.
  expect(readlinkSync(join(dir, 'current'))).not.toBe(first);
  expect(existsSync(join(dir, first))).toBe(true);
  await serveCurrent();

  const after = await seriesPage(page);
  await expect(after).toHaveCount(5);
  await expect(after.nth(2).getByRole('link', { name: 'Derde deel' })).toHaveAttribute(
    'href',
    '/testreeks/derde-deel/',
  );
  await page.goto(`${server!.url}/testreeks/derde-deel/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Derde deel');
  await expect(page.getByText('Deel 3 van 5', { exact: true })).toBeVisible();
  expect(await (await request.get(`${server!.url}/testreeks/rss.xml`)).text()).toContain(
    '<title>Deel 3: Derde deel</title>',
  );
});

test('a date that is not one stops the command before it builds', () => {
  const result = spawnSync(process.execPath, ['scripts/publish.ts', '--dir', dir, '--date', 'morgen'], {
    encoding: 'utf8',
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('--date is "morgen"');
});
