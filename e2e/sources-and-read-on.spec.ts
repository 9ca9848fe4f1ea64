// Where readers come from, whether they read on, and whether they see the invitation: in Chromium
// on the production server with the run's own database (playwright.config.ts). Other tests view
// the same parts at the same time, so this one counts only its own campaign source, and read-on
// as "at least".
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { expect, test, type Page } from '@playwright/test';

const series = 'digitale-transformatie';
const part1 = {
  url: `/${series}/de-impact-op-het-informatiebeleid/`,
  title: 'De impact op het informatiebeleid',
};
const part2 = {
  url: `/${series}/kansen-voor-de-dienstverlening/`,
  title: 'Kansen en impact voor de dienstverlening',
};
const part3 = { url: `/${series}/gevolgen-voor-de-i-en-a-organisatie/` };
const login = { username: 'marketing', password: process.env.E2E_STATS_PASSWORD! };

/** Rows of the server's database file, read as a separate connection would. */
function rows(sql: string, ...values: (string | number)[]) {
  const db = new DatabaseSync(process.env.E2E_DB_PATH!, { readOnly: true });
  try {
    return db.prepare(sql).all(...values) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
const eventsFrom = (source: string, type: string) =>
  rows('SELECT * FROM events WHERE source = ? AND type = ?', source, type);
const readOnViews = (path: string) =>
  rows("SELECT * FROM events WHERE type = 'pageview' AND read_on = 1 AND path = ?", path).length;

const contactBlock = (page: Page) => page.getByRole('complementary', { name: /Stel je vraag aan Job/ });

/** Lets a contact link be clicked without leaving the page; other links still work. */
const keepContactLinksOnPage = (page: Page) =>
  page.evaluate(() =>
    document.addEventListener('click', (click) => {
      if ((click.target as Element).closest('[data-contact-channel]')) click.preventDefault();
    }),
  );

test('a campaign reader: the view, the invitation seen and the click count toward the campaign, and reading on to part 2', async ({
  page,
  browser,
}) => {
  const readOnBefore = readOnViews(part2.url);
  await page.goto(`${part1.url}?utm_source=LinkedIn&utm_campaign=najaar`);
  await expect.poll(() => eventsFrom('linkedin', 'pageview')).toHaveLength(1);
  expect(eventsFrom('linkedin', 'pageview')[0]).toMatchObject({
    path: part1.url,
    campaign: 'najaar',
    medium: null,
    read_on: 0,
  });

  await contactBlock(page).scrollIntoViewIfNeeded();
  await expect.poll(() => eventsFrom('linkedin', 'contact_view')).toHaveLength(1);
  expect(eventsFrom('linkedin', 'contact_view')[0]).toMatchObject({
    path: part1.url,
    campaign: 'najaar',
    channel: null,
  });

  await keepContactLinksOnPage(page);
  await contactBlock(page)
    .getByRole('link', { name: /Mail Job/ })
    .click();
  await expect.poll(() => eventsFrom('linkedin', 'contact_click')).toHaveLength(1);
  expect(eventsFrom('linkedin', 'contact_click')[0]).toMatchObject({
    path: part1.url,
    channel: 'email',
    campaign: 'najaar',
  });

  // Scrolling away and back again within the same page view: the invitation counts once.
  await page.evaluate(() => window.scrollTo(0, 0));
  await contactBlock(page).scrollIntoViewIfNeeded();
  await page
    .getByRole('navigation', { name: 'Vorig en volgend deel' })
    .getByRole('link', { name: new RegExp(part2.title) })
    .click();
  await expect(page).toHaveURL(part2.url);
  await expect.poll(() => readOnViews(part2.url)).toBeGreaterThan(readOnBefore);
  expect(eventsFrom('linkedin', 'contact_view')).toHaveLength(1);

  const marketing = await browser.newContext({ httpCredentials: login });
  const report = await marketing.newPage();
  await report.goto('/stats/?dagen=7');
  const sources = report.getByRole('region', { name: 'Per bron' }).getByRole('table');
  await expect(sources.getByRole('row', { name: /^linkedin / })).toHaveText(/linkedin\s*1\s*1\s*1\s*100,0%/);
  const campaigns = report.getByRole('region', { name: 'Per campagne' }).getByRole('table');
  await expect(campaigns.getByRole('row', { name: /^najaar / })).toHaveText(/najaar\s*1\s*1\s*1\s*100,0%/);
  await expect(
    report.getByText('Doorlezen telt stappen van de ene pagina naar de volgende, nooit personen'),
  ).toBeVisible();
  await expect(report.getByRole('img', { name: 'Doorlezen in Digitale transformatie' })).toBeVisible();
  const funnel = report.getByRole('region', { name: 'Digitale transformatie' }).getByRole('table');
  const firstPart = funnel
    .getByRole('row')
    .filter({ has: report.getByRole('rowheader', { name: `1: ${part1.title}` }) });
  expect(Number(await firstPart.getByRole('cell').nth(1).textContent())).toBeGreaterThanOrEqual(1);

  const json = await (await report.request.get('/stats/export.json?dagen=7')).json();
  expect(json.sources).toContainEqual({
    source: 'linkedin',
    medium: null,
    campaign: 'najaar',
    views: 1,
    contactViews: 1,
    contactClicks: 1,
  });
  const onPart1 = json.pages.find((entry: { path: string }) => entry.path === part1.url);
  expect(onPart1.contactViews).toBeGreaterThanOrEqual(1);
  expect(onPart1.channels.email).toBeGreaterThanOrEqual(1);
  const parts = json.series.find((entry: { series: string }) => entry.series === series).parts;
  expect(parts[0]).toMatchObject({ part: 1, path: part1.url });
  expect(parts[0].readOn).toBeGreaterThanOrEqual(1);
  await marketing.close();
});

test('a referrer from another site is stored as its host only, never its path or query', async ({
  page,
  request,
}) => {
  await page.goto(part3.url, { referer: 'https://www.example.org/pad?geheim=1' });
  await expect.poll(() => eventsFrom('example.org', 'pageview').length).toBeGreaterThanOrEqual(1);

  // Whatever the browser trims, the server keeps only the host of what it is sent.
  const origin = new URL(page.url()).origin;
  const sent = await request.post('/api/events/', {
    headers: { 'Content-Type': 'text/plain', Origin: origin },
    data: JSON.stringify({
      type: 'pageview',
      path: part3.url,
      author: 'job-coenen',
      series,
      part: 3,
      referrer: 'https://www.example.org/pad?geheim=1',
    }),
  });
  expect(sent.status()).toBe(201);
  expect(eventsFrom('example.org', 'pageview').length).toBeGreaterThanOrEqual(2);

  for (const table of ['events', 'pages', 'messages']) {
    expect(JSON.stringify(rows(`SELECT * FROM ${table}`)), table).not.toContain('geheim');
  }
  for (const file of ['', '-wal']) {
    expect(readFileSync(`${process.env.E2E_DB_PATH}${file}`).includes('geheim'), `site.db${file}`).toBe(
      false,
    );
  }
});

test('with Global Privacy Control nothing of a campaign view, the invitation or a click is stored', async ({
  page,
}) => {
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
  );
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/events')) sent.push(request.url());
  });
  await page.goto(`${part1.url}?utm_source=gpc-test`);
  await contactBlock(page).scrollIntoViewIfNeeded();
  await keepContactLinksOnPage(page);
  await contactBlock(page)
    .getByRole('link', { name: /Mail Job/ })
    .click();
  // The next page load flushes any beacon still on its way.
  await page.goto('/');
  expect(sent).toEqual([]);
  expect(rows("SELECT * FROM events WHERE source = 'gpc-test'")).toEqual([]);
});
