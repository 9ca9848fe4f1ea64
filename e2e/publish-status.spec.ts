// The report's "Publicaties" in Chromium on the production server with the run's own database
// (playwright.config.ts): behind the report's login, the last publishes as the publisher stores
// them (put straight into the database here), with the parts the server's release went live with,
// and the same as JSON for a monitor.
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser } from '@playwright/test';
import { storePublishRun } from './fixtures/publish-runs.ts';

const login = { username: 'marketing', password: process.env.E2E_STATS_PASSWORD! };
const part1 = {
  path: '/digitale-transformatie/de-impact-op-het-informatiebeleid/',
  label: 'Digitale transformatie, deel 1: De impact op het informatiebeleid',
};
/** The folder the test server serves (playwright.config.ts), as `publications.release` names it. */
const serverRelease = 'dist-test';

function count(sql: string, ...values: string[]): number {
  const db = new DatabaseSync(process.env.E2E_DB_PATH!, { readOnly: true });
  try {
    return Number((db.prepare(sql).get(...values) as { n: number }).n);
  } finally {
    db.close();
  }
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const amsterdam = new Intl.DateTimeFormat('nl-NL', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Amsterdam',
});

async function loggedIn(browser: Browser) {
  const context = await browser.newContext({ httpCredentials: login });
  return { context, page: await context.newPage() };
}

test.describe.configure({ mode: 'serial' });

test('without the login, the page and its JSON are refused', async ({ request }) => {
  for (const path of ['/stats/publicaties/', '/stats/publicaties.json']) {
    const answer = await request.get(path);
    expect(answer.status(), path).toBe(401);
    expect(answer.headers()['www-authenticate'], path).toMatch(/^Basic /);
    expect(await answer.text(), path).not.toContain('Publicaties');
  }
});

test('before the first publish, the page says so in Dutch and the JSON is ok', async ({ browser }) => {
  test.skip(count('SELECT COUNT(*) AS n FROM publish_runs') > 0, 'another test stored a publish first');
  const { context, page } = await loggedIn(browser);
  await page.goto('/stats/publicaties/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Publicaties');
  await expect(page.getByText('Er is nog niets gepubliceerd sinds de site dit bijhoudt.')).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  expect(await (await page.request.get('/stats/publicaties.json')).json()).toMatchObject({
    ok: true,
    status: 'none',
    last: null,
    runs: [],
  });
  await context.close();
});

test('the last publishes: trigger, commit, duration, result, first error lines and the parts that went live', async ({
  browser,
}) => {
  // The server recorded its release's parts when it started serving it.
  await expect
    .poll(() =>
      count(
        'SELECT COUNT(*) AS n FROM publications WHERE release = ? AND path = ?',
        serverRelease,
        part1.path,
      ),
    )
    .toBe(1);
  const tag = randomUUID().slice(0, 8);
  const errorLines = Array.from(
    { length: 14 },
    (_, i) => `content/posts/deel-${tag}.mdx:${i + 1}: fout ${i + 1}`,
  );
  const published = {
    startedBy: 'command',
    startedAt: minutesAgo(180),
    finishedAt: new Date(minutesAgo(180).getTime() + 72_000),
    result: 'published',
    commitSha: `aaaa${tag}${'0'.repeat(28)}`,
    commitSubject: `Deel 1 gepubliceerd ${tag}`,
    release: serverRelease,
  } as const;
  const interrupted = {
    startedBy: 'timer',
    startedAt: minutesAgo(120),
    finishedAt: minutesAgo(119),
    result: 'interrupted',
    commitSha: `bbbb${tag}${'0'.repeat(28)}`,
    commitSubject: `Nachtelijke bouw ${tag}`,
  } as const;
  const failed = {
    startedBy: 'hook',
    requests: 2,
    startedAt: minutesAgo(60),
    finishedAt: new Date(minutesAgo(60).getTime() + 20_000),
    result: 'failed',
    commitSha: `cccc${tag}${'0'.repeat(28)}`,
    commitSubject: `Tikfout hersteld ${tag}`,
    errorLines: errorLines.join('\n'),
  } as const;
  const running = { startedBy: 'hook', startedAt: minutesAgo(0.5), result: 'running' } as const;
  const db = new DatabaseSync(process.env.E2E_DB_PATH!);
  db.exec('PRAGMA busy_timeout = 5000');
  const ids = {
    published: await storePublishRun(db, published),
    interrupted: await storePublishRun(db, interrupted),
    failed: await storePublishRun(db, failed),
    running: await storePublishRun(db, running),
  };
  db.close();

  const { context, page } = await loggedIn(browser);
  await page.goto('/stats/');
  await page.getByRole('link', { name: 'Publicaties' }).click();
  await expect(page).toHaveURL('/stats/publicaties/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Publicaties');
  const table = page.getByRole('region', { name: 'Laatste publicaties' }).getByRole('table');
  await expect(table.getByRole('columnheader')).toHaveText([
    'Gestart',
    'Resultaat',
    'Aanleiding',
    'Commit',
    'Duur',
    'Foutmeldingen',
    'Live gegaan',
  ]);
  await expect(table).toHaveAccessibleName(/^De laatste \d+ publicaties, de nieuwste eerst/);
  const row = (id: number) => table.locator(`tr[data-run="${id}"]`);
  // Newest first.
  const order = await table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-run'))));
  expect(order.slice(0, 4)).toEqual([ids.running, ids.failed, ids.interrupted, ids.published]);

  // The failed push: its first twelve lines, and how many more the log holds.
  const failedRow = row(ids.failed);
  await expect(failedRow.getByRole('rowheader')).toHaveText(amsterdam.format(failed.startedAt));
  await expect(failedRow.getByRole('cell').nth(1)).toHaveText('push in de editor (2 pushes samen)');
  await expect(failedRow.getByRole('cell').nth(2)).toHaveText(
    `cccc${tag.slice(0, 3)} Tikfout hersteld ${tag}`,
  );
  await expect(failedRow.getByRole('cell').nth(3)).toHaveText('20 s');
  await expect(failedRow.getByRole('cell').nth(0)).toHaveText('mislukt');
  await expect(failedRow.locator('pre')).toHaveText(errorLines.slice(0, 12).join('\n'));
  await expect(failedRow.getByRole('cell').nth(4)).toContainText('en nog 2 regels in het logboek');
  await expect(failedRow.getByRole('cell').nth(5)).toHaveText('geen nieuwe delen');

  const interruptedRow = row(ids.interrupted);
  await expect(interruptedRow.getByRole('cell').nth(1)).toHaveText('nachtelijke timer');
  await expect(interruptedRow.getByRole('cell').nth(3)).toHaveText('1 min');
  await expect(interruptedRow.getByRole('cell').nth(0)).toHaveText('onderbroken');

  // The command's publish switched to the release the server serves: the site's parts went live with it.
  const publishedRow = row(ids.published);
  await expect(publishedRow.getByRole('cell').nth(1)).toHaveText('commando');
  await expect(publishedRow.getByRole('cell').nth(3)).toHaveText('1 min 12 s');
  await expect(publishedRow.getByRole('cell').nth(0)).toHaveText('gepubliceerd');
  await expect(publishedRow.getByRole('cell').nth(4)).toHaveText('geen');
  const live = publishedRow.getByRole('cell').nth(5).getByRole('link', { name: part1.label });
  await expect(live).toHaveAttribute('href', part1.path);

  const runningRow = row(ids.running);
  await expect(runningRow.getByRole('cell').nth(2)).toHaveText('onbekend');
  await expect(runningRow.getByRole('cell').nth(3)).toHaveText(/^\d+ s tot nu$/);
  await expect(runningRow.getByRole('cell').nth(0)).toHaveText('bezig');

  const headers = (await page.request.get('/stats/publicaties/')).headers();
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['x-robots-tag']).toBe('noindex, nofollow');

  // The same for a monitor: the last finished publish failed.
  const answer = await page.request.get('/stats/publicaties.json');
  expect(answer.headers()['content-type']).toMatch(/^application\/json/);
  const json = await answer.json();
  expect(json).toMatchObject({
    ok: false,
    status: 'failed',
    last: { id: ids.running, result: 'running', finishedAt: null },
    running: { id: ids.running, startedBy: 'hook' },
    lastFinished: {
      id: ids.failed,
      startedBy: 'hook',
      requests: 2,
      result: 'failed',
      durationSeconds: 20,
      commit: { sha: failed.commitSha, subject: failed.commitSubject },
      errorLines: errorLines.slice(0, 12),
      moreErrorLines: 2,
    },
    lastPublished: { id: ids.published, startedBy: 'command', durationSeconds: 72, release: serverRelease },
  });
  expect(json.lastPublished.parts).toContainEqual(
    expect.objectContaining({ series: 'digitale-transformatie', part: 1, path: part1.path }),
  );
  expect(json.runs.map((run: { id: number }) => run.id).slice(0, 4)).toEqual([
    ids.running,
    ids.failed,
    ids.interrupted,
    ids.published,
  ]);

  // And back to the report.
  await page.getByRole('link', { name: 'Terug naar de statistieken' }).click();
  await expect(page).toHaveURL('/stats/');
  await context.close();
});

test('the page has no WCAG 2.1 A/AA violations, light and dark, on a phone and a desktop', async ({
  browser,
}) => {
  test.skip(count('SELECT COUNT(*) AS n FROM publish_runs') === 0, 'the runs of the test before are missing');
  const { context, page } = await loggedIn(browser);
  for (const colorScheme of ['light', 'dark'] as const)
    for (const viewport of [
      { width: 320, height: 640 },
      { width: 1280, height: 800 },
    ]) {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme });
      await page.goto('/stats/publicaties/');
      await expect(page.getByRole('table')).toBeVisible();
      const { violations } = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(
        violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        `${colorScheme}, ${viewport.width}px`,
      ).toEqual([]);
    }
  await context.close();
});
