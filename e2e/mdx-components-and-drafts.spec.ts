import { expect, test } from '@playwright/test';
import { devPort } from '../playwright.config.ts';
import { gotoInDev } from './fixtures/dev-server.ts';

const standalone = '/artikelen/over-deze-site/';

test('a figure shows an optimised image with its alt text and caption', async ({ page }) => {
  await page.goto(standalone);
  const figure = page.getByRole('figure', { name: 'Een illustratie die naast dit artikel staat.' });
  const image = figure.getByRole('img', {
    name: 'Een kleurverloop van groen naar oranje met twee lichte vormen',
  });
  await expect(image).toHaveAttribute('src', /\.webp$/);
  await expect(image).toHaveAttribute('width', /\d+/);
  await expect(image).toHaveAttribute('height', /\d+/);
  await expect(image).toHaveAttribute('loading', 'lazy');
  const response = await page.request.get((await image.getAttribute('src'))!);
  expect(response.headers()['content-type']).toBe('image/webp');
});

test('a callout is a note and a pull quote a quotation with its source', async ({ page }) => {
  await page.goto(standalone);
  const note = page.getByRole('note');
  await expect(note).toContainText('Lees in volgorde');
  await expect(note).toContainText('(Let op)');
  await expect(note).toContainText('De delen van een reeks bouwen op elkaar voort.');

  const quote = page.getByRole('figure').filter({ has: page.getByRole('blockquote') });
  await expect(quote.getByRole('blockquote')).toHaveText(
    'Een plan dat niemand inspireert, verdwijnt in de la.',
  );
  await expect(quote).toContainText('— Job Coenen');
});

test('a post with three sections has a table of contents, and every section an anchor', async ({ page }) => {
  await page.goto(standalone);
  const contents = page.getByRole('navigation', { name: 'In dit artikel' });
  await expect(contents.getByRole('link')).toHaveText(['Wat u hier vindt', 'Hoe u leest', 'Wie schrijft']);

  await contents.getByRole('link', { name: 'Hoe u leest' }).click();
  await expect(page).toHaveURL(`${standalone}#hoe-u-leest`);
  await expect(page.getByRole('heading', { name: 'Hoe u leest' })).toBeInViewport();

  const anchor = page.getByRole('link', { name: 'Link naar de sectie Wie schrijft' });
  await expect(anchor).toHaveAttribute('href', '#wie-schrijft');
});

test('the table of contents of a part lists each of its sections', async ({ page }) => {
  await page.goto('/digitale-transformatie/de-impact-op-het-informatiebeleid/');
  const sections = await page.locator('article .prose h2').allTextContents();
  expect(sections.length).toBeGreaterThanOrEqual(3);
  const contents = page.getByRole('navigation', { name: 'In dit artikel' });
  await expect(contents.getByRole('link')).toHaveText(sections);
});

test.describe('npm run dev', () => {
  test.use({ baseURL: `http://localhost:${devPort}` });

  test('shows drafts and scheduled posts, marked "concept" and "gepland"', async ({ page }) => {
    await gotoInDev(page, '/digitale-transformatie/');
    const draft = page.getByRole('listitem').filter({ hasText: 'Conceptdeel dat niemand mag zien' });
    await expect(draft.getByText('concept', { exact: true })).toBeVisible();

    await gotoInDev(page, '/');
    const scheduled = page.getByRole('listitem').filter({ hasText: 'Gepland artikel uit de toekomst' });
    await expect(scheduled.getByText('gepland', { exact: true })).toBeVisible();
  });
});
