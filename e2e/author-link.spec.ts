// The author's read-only link in Chromium on the production server (playwright.config.ts): made
// in the report area by whoever has its login, opened in a browser without the login, it shows
// that author's figures and no readers' messages, passes axe, and an altered link is the 404 page.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const login = { username: 'marketing', password: process.env.E2E_STATS_PASSWORD! };

test("a link made in the report area opens the author's figures, read-only, without the login", async ({
  browser,
}) => {
  const marketing = await browser.newContext({ httpCredentials: login });
  const page = await marketing.newPage();
  await page.goto('/stats/');
  await page.getByRole('link', { name: 'Link voor een auteur' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Link voor een auteur');
  await page.getByLabel('Auteur').selectOption('job-coenen');
  await page.getByLabel('Geldig (dagen)').fill('30');
  await page.getByRole('button', { name: 'Maak de link' }).click();
  await expect(page.getByRole('heading', { name: 'Link voor Job Coenen' })).toBeVisible();
  const link = (await page.locator('.author-link').textContent())!.trim();
  expect(link).toMatch(/\/stats\/auteur\/\?link=/);
  await marketing.close();

  // The author's browser: no login.
  const author = await browser.newContext();
  const view = await author.newPage();
  const url = new URL(link);
  const answer = await view.goto(`${url.pathname}${url.search}`);
  expect(answer!.status()).toBe(200);
  expect(answer!.headers()['referrer-policy']).toBe('no-referrer');
  await expect(view.getByRole('heading', { level: 1 })).toHaveText('Statistieken van Job Coenen');
  await expect(view.getByRole('heading', { name: 'Doorlezen per reeks' })).toBeVisible();
  await expect(view.getByRole('heading', { name: 'Berichten van lezers' })).toHaveCount(0);
  await expect(view.locator('.stats-totals')).toContainText('Weergaven');
  const violations = (
    await new AxeBuilder({ page: view }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  ).violations;
  expect(violations.map((violation) => violation.id)).toEqual([]);
  // Another period keeps the link.
  await view.getByRole('link', { name: '7 dagen' }).click();
  await expect(view.getByText(/^Laatste 7 dagen/)).toBeVisible();

  const altered = `${url.pathname}?link=${url.searchParams.get('link')!.slice(0, -3)}abc`;
  expect((await view.goto(altered))!.status()).toBe(404);
  await author.close();
});
