// The contact block, its tracking and the marketing report, in Chromium on the production server
// with the run's own database (playwright.config.ts). Each test uses its own part and channel,
// so tests running in parallel never count each other's clicks.
import { DatabaseSync } from 'node:sqlite';
import { expect, test, type Page } from '@playwright/test';

const series = 'digitale-transformatie';
const part1 = { url: `/${series}/de-impact-op-het-informatiebeleid/`, part: 1 };
const part2 = {
  url: `/${series}/kansen-voor-de-dienstverlening/`,
  part: 2,
  title: 'Kansen en impact voor de dienstverlening',
};
const part3 = { url: `/${series}/gevolgen-voor-de-i-en-a-organisatie/`, part: 3 };
const login = { username: 'marketing', password: process.env.E2E_STATS_PASSWORD! };

/** Events stored for a page, read straight from the server's database file. */
function stored(sql: string, ...values: string[]) {
  const db = new DatabaseSync(process.env.E2E_DB_PATH!, { readOnly: true });
  try {
    return db.prepare(`SELECT * FROM events WHERE ${sql}`).all(...values);
  } finally {
    db.close();
  }
}
const storedClicks = (path: string, channel: string) =>
  stored("type = 'contact_click' AND path = ? AND channel = ?", path, channel);
const storedViews = (path: string) => stored("type = 'pageview' AND path = ?", path).length;

/**
 * Lets a click on a mailto:, tel: or external link happen but keeps the browser on the page,
 * and records whether anything else had already cancelled the click.
 */
async function stayOnPage(page: Page) {
  await page.evaluate(() => {
    const seen: boolean[] = [];
    (window as unknown as { cancelledBeforeUs: boolean[] }).cancelledBeforeUs = seen;
    document.addEventListener('click', (click) => {
      seen.push(click.defaultPrevented);
      click.preventDefault();
    });
  });
}

const contactBlock = (page: Page) => page.getByRole('complementary', { name: /Stel je vraag aan Job/ });

test('every part ends by inviting the reader to ask Job, with one link per channel', async ({ page }) => {
  await page.goto(part2.url);
  const block = contactBlock(page);
  await expect(block.getByRole('heading', { level: 2 })).toHaveText(
    'Meer weten over digitale transformatie? Stel je vraag aan Job.',
  );
  await expect(block).toContainText('Job Coenen');
  await expect(block).toContainText('Consultant');
  await expect(block.getByText('JC', { exact: true })).toBeVisible();

  // The channel links; the message form below them has a link of its own, to the privacy page.
  const links = block.getByRole('list').getByRole('link');
  await expect(links).toHaveCount(3);
  await expect(block.getByRole('link', { name: /Mail Job/ })).toHaveAttribute(
    'href',
    'mailto:job.coenen@example.com?subject=Vraag%20over%3A%20Kansen%20en%20impact%20voor%20de%20dienstverlening',
  );
  await expect(block.getByRole('link', { name: /Bel Job/ })).toHaveAttribute('href', 'tel:+31201234567');
  await expect(block.getByRole('link', { name: 'Job op LinkedIn' })).toHaveAttribute(
    'href',
    'https://www.linkedin.example.com/in/job-coenen',
  );

  await page.goto(part3.url);
  await expect(contactBlock(page).getByRole('link', { name: /Mail Job/ })).toHaveAttribute(
    'href',
    'mailto:job.coenen@example.com?subject=Vraag%20over%3A%20Gevolgen%20voor%20de%20I%26A-organisatie',
  );

  await page.goto('/auteurs/job-coenen/');
  await expect(contactBlock(page).getByRole('heading')).toHaveText(
    'Meer weten over digitale transformatie? Stel je vraag aan Job.',
  );
  await expect(contactBlock(page).getByRole('list').getByRole('link')).toHaveCount(3);
  // The message form is for parts: a message is about one.
  await expect(contactBlock(page).getByRole('form')).toHaveCount(0);
});

test('clicking the e-mail link of part 2 stores one contact click, and the report shows it to marketing only', async ({
  page,
  browser,
  request,
}) => {
  expect(storedClicks(part2.url, 'email')).toHaveLength(0);
  const viewsBefore = storedViews(part2.url);

  await page.goto(part2.url);
  await expect.poll(() => storedViews(part2.url)).toBeGreaterThan(viewsBefore);
  await stayOnPage(page);
  await contactBlock(page)
    .getByRole('link', { name: /Mail Job/ })
    .click();

  await expect.poll(() => storedClicks(part2.url, 'email')).toHaveLength(1);
  expect(storedClicks(part2.url, 'email')[0]).toMatchObject({
    type: 'contact_click',
    channel: 'email',
    author: 'job-coenen',
    series,
    part: 2,
    path: part2.url,
  });
  // The tracking script never cancels the click: the link works as if it were not there.
  expect(
    await page.evaluate(() => (window as unknown as { cancelledBeforeUs: boolean[] }).cancelledBeforeUs),
  ).toEqual([false]);

  // Chromium turns a refused login into a network error page, so ask without the browser.
  const basic = (password: string) =>
    `Basic ${Buffer.from(`${login.username}:${password}`).toString('base64')}`;
  for (const headers of [{}, { Authorization: basic('fout') }] as Record<string, string>[]) {
    const refused = await request.get('/stats/', { headers });
    expect(refused.status()).toBe(401);
    expect(refused.headers()['www-authenticate']).toMatch(/^Basic /);
    expect(await refused.text()).not.toContain('Kansen en impact');
  }

  const marketing = await browser.newContext({ httpCredentials: login });
  const report = await marketing.newPage();
  const response = await report.goto('/stats/?dagen=7');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['cache-control']).toBe('no-store');
  await expect(report.getByRole('heading', { level: 1 })).toHaveText('Statistieken');
  await expect(report.getByRole('link', { name: '7 dagen' })).toHaveAttribute('aria-current', 'page');

  const table = report.getByRole('region', { name: 'Per pagina' }).getByRole('table');
  const emailColumn = (await table.getByRole('columnheader').allTextContents()).indexOf('E-mail');
  const row = table.getByRole('row').filter({
    has: report.getByRole('rowheader', { name: `Digitale transformatie, deel 2: ${part2.title}` }),
  });
  await expect(row.getByRole('cell').nth(emailColumn - 1)).toHaveText('1');
  await expect(report.getByRole('img', { name: 'Contactklikken per dag' })).toBeVisible();

  const csv = await report.request.get('/stats/export.csv?dagen=7');
  expect(await csv.text()).toMatch(
    new RegExp(`Digitale transformatie, deel 2: ${part2.title};\\d+;\\d+;1;[\\d,]+%;[\\d,%]*;1;0;0;0`),
  );
  await marketing.close();
});

test('the invitation seen and a click are also handed to Google Tag Manager, Plausible and Matomo when the page runs them', async ({
  page,
}) => {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.dataLayer = [];
    w._paq = [];
    w.plausibleCalls = [];
    w.plausible = (...args: unknown[]) => (w.plausibleCalls as unknown[]).push(args);
  });
  await page.goto(part1.url);
  await stayOnPage(page);
  const handed = () =>
    page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return { dataLayer: w.dataLayer, plausible: w.plausibleCalls, matomo: w._paq };
    });
  const base = { path: part1.url, author: 'job-coenen', series, part: 1 };
  const view = { type: 'contact_view', ...base };

  // The invitation seen: half of it on screen for a second.
  await contactBlock(page).scrollIntoViewIfNeeded();
  await expect.poll(async () => (await handed()).dataLayer).toEqual([{ event: 'contact_view', ...view }]);
  await contactBlock(page)
    .getByRole('link', { name: /Bel Job/ })
    .click();

  const click = { type: 'contact_click', channel: 'phone', ...base };
  expect(await handed()).toEqual({
    dataLayer: [
      { event: 'contact_view', ...view },
      { event: 'contact_click', ...click },
    ],
    plausible: [
      ['contact_view', { props: view }],
      ['contact_click', { props: click }],
    ],
    matomo: [
      ['trackEvent', 'contact_view', 'seen', part1.url],
      ['trackEvent', 'contact_click', 'phone', part1.url],
    ],
  });
  await expect.poll(() => storedClicks(part1.url, 'phone')).toHaveLength(1);
});

test('a browser that asks not to be tracked sends nothing, and a request with Sec-GPC: 1 stores nothing', async ({
  page,
  request,
}) => {
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
  );
  const sent: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/events')) sent.push(req.url());
  });
  await page.goto(part3.url);
  await stayOnPage(page);
  await contactBlock(page).getByRole('link', { name: 'Job op LinkedIn' }).click();
  // Give a beacon, if any, the time to leave; the next page load flushes it for certain.
  await page.goto('/');
  expect(sent).toEqual([]);

  const origin = new URL(page.url()).origin;
  const response = await request.post('/api/events/', {
    headers: { 'Sec-GPC': '1', 'Content-Type': 'text/plain', Origin: origin },
    data: JSON.stringify({
      type: 'contact_click',
      channel: 'linkedin',
      path: part3.url,
      author: 'job-coenen',
      series,
      part: 3,
    }),
  });
  expect(response.status()).toBe(204);
  expect(storedClicks(part3.url, 'linkedin')).toHaveLength(0);
});
