// Reading depth per section, in Chromium on the production server: two readers of a part, one
// to its third section and one to the end; the report's section funnel and its exports count
// them so. A reader with GPC, and forged depth records, leave nothing. Other specs view the same
// parts on the shared server, so this file runs its own server on the test build (dist-test/)
// with a database of its own, and can count exactly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { startServer, type RunningServer } from './fixtures/server.ts';

const part = {
  url: '/digitale-transformatie/de-impact-op-het-informatiebeleid/',
  label: 'Digitale transformatie, deel 1: De impact op het informatiebeleid',
};
const login = { username: 'marketing', password: 'leesdiepte-test' };

let server: RunningServer;
let dir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reeks-depth-'));
  server = await startServer('dist-test', {
    REEKS_DB_PATH: join(dir, 'site.db'),
    STATS_USER: login.username,
    STATS_PASSWORD: login.password,
  });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function rows(sql: string, ...values: (string | number)[]) {
  const db = new DatabaseSync(join(dir, 'site.db'), { readOnly: true });
  try {
    return db.prepare(sql).all(...values) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
const depthRows = () =>
  rows('SELECT path, furthest, end_reached FROM reading_depth ORDER BY furthest').map((row) => ({ ...row }));
const pageViews = () => rows("SELECT id FROM events WHERE type = 'pageview'").length;

/** A reader's page on this file's server. */
async function reader(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}) {
  const context = await browser.newContext({ ...options, baseURL: server.url });
  return { context, page: await context.newPage() };
}

/** Until the browser has drawn a frame after a scroll: the sections on screen are then noticed. */
const drawn = (page: Page) =>
  page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

/** The first scroll, and the reading-depth script it loads (with the contact-view script). */
async function firstScroll(page: Page) {
  await page.mouse.move(200, 200);
  await page.mouse.wheel(0, 40);
  await page.waitForFunction(() =>
    performance.getEntriesByType('resource').some((entry) => entry.name.includes('contact-view')),
  );
  // The module has run once the resource is in: it runs right after it loads, before any later task.
  await page.evaluate(() => new Promise((done) => setTimeout(done, 0)));
}

/** Scrolls until the top of section `n`'s heading is just inside the bottom of the screen. */
async function scrollToSection(page: Page, n: number) {
  await page.evaluate((index) => {
    const heading = document.querySelectorAll<HTMLElement>('article .prose h2[id]')[index]!;
    const top = heading.getBoundingClientRect().top + scrollY;
    scrollTo({ top: top - innerHeight + 40, behavior: 'instant' });
  }, n - 1);
  await drawn(page);
}

test('one reader to the third section, another to the end: the section funnel shows 2, 2, 2, 1, and the exports agree', async ({
  browser,
}) => {
  const first = await reader(browser);
  await first.page.goto(part.url);
  const titles = await first.page.locator('article .prose h2[id]').allTextContents();
  expect(titles.length).toBeGreaterThanOrEqual(4);
  await firstScroll(first.page);
  await scrollToSection(first.page, 3);
  // The fourth heading is still below the screen: this reader stops at the third.
  expect(
    await first.page.evaluate(
      () => document.querySelectorAll('article .prose h2[id]')[3]!.getBoundingClientRect().top > innerHeight,
    ),
  ).toBe(true);
  // Leaving (to another page of the site) hides the page: the depth goes with a beacon.
  await first.page.goto('/');
  await expect.poll(depthRows).toEqual([{ path: part.url, furthest: 3, end_reached: 0 }]);

  const second = await reader(browser);
  await second.page.goto(part.url);
  await firstScroll(second.page);
  for (let n = 1; n <= titles.length; n++) await scrollToSection(second.page, n);
  await second.page.locator('article .prose p').last().scrollIntoViewIfNeeded();
  await drawn(second.page);
  // The tab hidden (another tab, a locked phone): sent, and sent again on leaving; one row stays.
  await second.page.goto('/');
  await expect.poll(depthRows).toEqual([
    { path: part.url, furthest: 3, end_reached: 0 },
    { path: part.url, furthest: titles.length, end_reached: 1 },
  ]);
  await expect.poll(pageViews).toBe(2);
  const invitations = rows("SELECT id FROM events WHERE type = 'contact_view'").length;
  await first.context.close();
  await second.context.close();

  // 2 views; 2, 2, 2 for the first three sections; 1 for the rest and the end.
  const expected = [
    ['Weergaven', 2],
    ...titles.map((title, index) => [title, index < 3 ? 2 : 1]),
    ['Einde van het artikel', 1],
    ['Uitnodiging gezien', invitations],
    ['Contact of volgen', 0],
  ] as const;

  const marketing = await reader(browser, { httpCredentials: login });
  const report = marketing.page;
  await report.goto('/stats/?dagen=7');
  await expect(report.getByRole('heading', { name: 'Leesdiepte per deel', level: 2 })).toBeVisible();
  await expect(report.getByText('weergaven min meldingen')).toBeVisible();
  await expect(report.getByRole('img', { name: `Leesdiepte van ${part.label}` })).toBeVisible();
  const funnel = report.getByRole('region', { name: part.label }).getByRole('table');
  const shown = await funnel
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [
        tr.querySelector('th')!.textContent!.trim(),
        tr.querySelector('td')!.textContent!.trim(),
      ]),
    );
  expect(shown).toEqual(expected.map(([label, count]) => [label, String(count)]));
  await expect(
    report.getByText(`${part.label}: 0 van de 2 weergaven zonder melding van leesdiepte.`),
  ).toBeVisible();
  const engaged = report.getByRole('region', { name: 'Leestijd per deel' }).getByRole('table');
  await expect(
    engaged
      .getByRole('row', { name: new RegExp(part.label) })
      .getByRole('cell')
      .first(),
  ).toHaveText('2');

  // The report with its charts and tables of reading depth passes axe's WCAG 2.1 A/AA checks.
  const violations = (
    await new AxeBuilder({ page: report }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  ).violations.map((violation) => violation.id);
  expect(violations).toEqual([]);

  const json = await (await report.request.get('/stats/export.json?dagen=7')).json();
  const exported = json.sectionFunnels.find((entry: { path: string }) => entry.path === part.url);
  expect(exported.steps.map((step: { label: string; count: number }) => [step.label, step.count])).toEqual(
    expected.map(([label, count]) => [label, count]),
  );
  expect(exported).toMatchObject({ views: 2, depthRecords: 2, withoutDepthRecord: 0 });
  expect(Object.values(exported.engaged).reduce((sum: number, n) => sum + (n as number), 0)).toBe(2);

  const csv = await (await report.request.get('/stats/export.csv?dagen=7')).text();
  for (const [label, count] of expected) expect(csv).toContain(`${part.label};${label};${count};`);
  await marketing.context.close();
});

test('a reader with GPC sends and stores nothing, however far they read', async ({ browser }) => {
  const before = depthRows().length;
  const gpc = await reader(browser, { extraHTTPHeaders: { 'Sec-GPC': '1' } });
  await gpc.page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
  );
  const sent: string[] = [];
  gpc.context.on('request', (request) => {
    if (request.url().includes('/api/events')) sent.push(request.url());
  });
  await gpc.page.goto(part.url);
  await gpc.page.mouse.move(200, 200);
  await gpc.page.mouse.wheel(0, 40);
  await scrollToSection(gpc.page, 3);
  await gpc.page.locator('article .prose p').last().scrollIntoViewIfNeeded();
  await gpc.page.goto('/');
  // The next page load flushes a beacon, if any.
  await gpc.page.goto(part.url);
  await gpc.page.goto('/');
  expect(sent).toEqual([]);
  await gpc.context.close();

  // A reader without GPC after it is stored: whatever the GPC reader sent would be by now.
  const plain = await reader(browser);
  await plain.page.goto(part.url);
  await firstScroll(plain.page);
  await plain.page.goto('/');
  await expect.poll(() => depthRows().length).toBe(before + 1);
  await plain.context.close();
});

test('forged depth records get a 400 and leave nothing behind', async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: server.url });
  const before = depthRows();
  const valid = {
    type: 'depth',
    path: part.url,
    author: 'job-coenen',
    series: 'digitale-transformatie',
    part: 1,
    view: '0b6f6c1e-3c1a-4a57-9a3e-2f1d6f3c9b10',
    reached: 0,
    end: false,
    engaged: 3,
  };
  const forged: Record<string, unknown>[] = [
    { reached: 1, section: 'een-sectie-die-er-niet-is' },
    { reached: 99, section: 'een-sectie-die-er-niet-is' },
    { reached: 10_000 },
    { engaged: -1 },
    { engaged: 24 * 60 * 12 + 1 },
    { view: 'lezer-1' },
    { part: 2 },
  ];
  for (const change of forged) {
    const response = await api.post('/api/events/', {
      headers: { 'Content-Type': 'application/json' },
      data: JSON.stringify({ ...valid, ...change }),
    });
    expect(response.status(), JSON.stringify(change)).toBe(400);
  }
  expect(depthRows()).toEqual(before);
  // The same record unforged is taken.
  const response = await api.post('/api/events/', {
    headers: { 'Content-Type': 'application/json' },
    data: JSON.stringify(valid),
  });
  expect(response.status()).toBe(201);
  expect(depthRows()).toHaveLength(before.length + 1);
  await api.dispose();
});
