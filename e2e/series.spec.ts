import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { countWords, readingMinutes } from '../src/lib/reading-time.ts';
import { site } from '../src/site.config.ts';

const series = { url: '/digitale-transformatie/', title: 'Digitale transformatie' };
const parts = [
  {
    slug: 'de-impact-op-het-informatiebeleid',
    title: 'De impact op het informatiebeleid',
    date: '21 april 2020',
  },
  {
    slug: 'kansen-voor-de-dienstverlening',
    title: 'Kansen en impact voor de dienstverlening',
    date: '9 juni 2020',
  },
  {
    slug: 'gevolgen-voor-de-i-en-a-organisatie',
    title: 'Gevolgen voor de I&A-organisatie',
    date: '15 september 2020',
  },
].map((part) => ({ ...part, url: `${series.url}${part.slug}/`, minutes: minutesOf(part.slug) }));

/** The reading time the site must show, computed from the part's own file. */
function minutesOf(slug: string): number {
  const source = readFileSync(`content/posts/digitale-transformatie/${slug}.mdx`, 'utf8');
  const body = source.replace(/^---[\s\S]*?\n---\n/, '');
  return readingMinutes(countWords(body), site.wordsPerMinute);
}

async function expectPart(page: Page, index: number) {
  const part = parts[index]!;
  await expect(page).toHaveURL(part.url);
  await expect(page).toHaveTitle(`${part.title} | ${site.name}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(part.title);
  await expect(page.getByText(`Deel ${index + 1} van 3`, { exact: true })).toBeVisible();

  const meta = page.locator('article.post header dl');
  await expect(meta.getByRole('link', { name: 'Job Coenen' })).toHaveAttribute(
    'href',
    '/auteurs/job-coenen/',
  );
  await expect(meta.getByRole('link', { name: 'I-visie & beleid' })).toHaveAttribute(
    'href',
    '/diensten/i-visie-en-beleid/',
  );
  await expect(meta.locator('time')).toHaveText(part.date);
  await expect(meta.getByText(`${part.minutes} min leestijd`)).toBeVisible();

  const outline = page.getByRole('navigation', { name: /Alle delen van Digitale transformatie/ });
  await expect(outline.getByRole('listitem')).toHaveCount(3);
  await expect(outline.locator('[aria-current="page"]')).toHaveCount(1);
  await expect(outline.locator('[aria-current="page"]')).toContainText(part.title);
  for (const other of parts.filter((_, i) => i !== index)) {
    await expect(outline.getByRole('link', { name: other.title })).toHaveAttribute('href', other.url);
  }
}

const pager = (page: Page) => page.getByRole('navigation', { name: 'Vorig en volgend deel' });

test('a reader follows the series from the home page through all three parts and back', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: series.title, exact: true }).click();

  await expect(page).toHaveURL(series.url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(series.title);
  const list = page.getByRole('list', { name: /Delen van de reeks/ });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  for (const [index, part] of parts.entries()) {
    const item = list.getByRole('listitem').nth(index);
    await expect(item).toContainText(`Deel ${index + 1}`);
    await expect(item.getByRole('link', { name: part.title })).toHaveAttribute('href', part.url);
    await expect(item).toContainText(part.date);
    await expect(item).toContainText(`${part.minutes} min leestijd`);
  }

  await list.getByRole('link', { name: parts[0]!.title }).click();
  await expectPart(page, 0);
  await expect(pager(page).getByRole('link', { name: /Vorig deel/ })).toHaveCount(0);

  await pager(page)
    .getByRole('link', { name: /Volgend deel/ })
    .click();
  await expectPart(page, 1);
  await pager(page)
    .getByRole('link', { name: /Volgend deel/ })
    .click();
  await expectPart(page, 2);
  await expect(pager(page).getByRole('link', { name: /Volgend deel/ })).toHaveCount(0);

  await pager(page)
    .getByRole('link', { name: /Vorig deel/ })
    .click();
  await expectPart(page, 1);
  await pager(page)
    .getByRole('link', { name: /Vorig deel/ })
    .click();
  await expectPart(page, 0);
  await page.goBack();
  await expectPart(page, 1);
});

test('part 1 shows the 1.0 → 2.0 → 3.0 model as text a screen reader can read', async ({ page }) => {
  await page.goto(parts[0]!.url);
  const figure = page.getByRole('figure', { name: /model gemeente 1\.0, 2\.0 en 3\.0/ });
  await expect(figure).toBeVisible();
  await expect(figure.getByRole('listitem').filter({ hasText: /^Gemeente \d\.0/ })).toHaveText([
    /Gemeente 1\.0/,
    /Gemeente 2\.0/,
    /Gemeente 3\.0/,
  ]);
});

const unpublished = ['Conceptdeel dat niemand mag zien', 'Gepland artikel uit de toekomst'];

test('drafts and scheduled posts appear nowhere in the production build', async ({ page, request }) => {
  for (const url of [
    '/',
    series.url,
    ...parts.map((p) => p.url),
    '/auteurs/job-coenen/',
    '/diensten/i-visie-en-beleid/',
  ]) {
    await page.goto(url);
    for (const title of unpublished) await expect(page.getByText(title)).toHaveCount(0);
    await expect(page.getByText(/van 4/)).toHaveCount(0);
  }
  for (const url of ['/digitale-transformatie/concept-vierde-deel/', '/artikelen/gepland-artikel/']) {
    expect((await request.get(url)).status()).toBe(404);
  }
});

test('a standalone post is listed on the home page after the series and has its own page', async ({
  page,
}) => {
  await page.goto('/');
  const section = page.getByRole('region', { name: 'Losse artikelen' });
  await section.getByRole('link', { name: 'Over deze site' }).click();
  await expect(page).toHaveURL('/artikelen/over-deze-site/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Over deze site');
  await expect(page.getByText(/^Deel \d/)).toHaveCount(0);
  await expect(page.locator('article.post header time')).toHaveText('5 januari 2021');
});

test('the author and service pages list their posts', async ({ page }) => {
  await page.goto('/auteurs/job-coenen/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Job Coenen');
  await expect(
    page.getByRole('main').locator('header').getByText('Consultant', { exact: true }),
  ).toBeVisible();
  for (const part of parts)
    await expect(page.getByRole('link', { name: part.title })).toHaveAttribute('href', part.url);

  await page.goto('/diensten/i-visie-en-beleid/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('I-visie & beleid');
  for (const part of parts) await expect(page.getByRole('link', { name: part.title })).toBeVisible();
});

test('an unknown address shows the Dutch 404 page with status 404', async ({ page }) => {
  const response = await page.goto('/bestaat-niet/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pagina niet gevonden');
  await expect(page.getByRole('link', { name: 'startpagina' })).toHaveAttribute('href', '/');
});

test('every page is Dutch, has landmarks and a skip link, and ships only the site script', async ({
  page,
}) => {
  // Every page has the same one script (src/client/site.ts): the search opener, and on parts and
  // author pages the contact tracking and what loads the message form's script when it is used
  // (e2e/search.spec.ts checks that nothing of search loads until used). It is a file: a strict
  // Content-Security-Policy needs no inline script.
  for (const url of [
    '/',
    series.url,
    parts[1]!.url,
    '/auteurs/job-coenen/',
    '/artikelen/over-deze-site/',
    '/diensten/i-visie-en-beleid/',
    '/privacy/',
    '/bestaat-niet/',
  ]) {
    await page.goto(url);
    await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
    // Structured data (JSON-LD) is data, not JavaScript.
    const scripts = page.locator('script:not([type="application/ld+json"])');
    const sources = await scripts.evaluateAll((found) =>
      found.map((script) => [script.getAttribute('src'), script.textContent]),
    );
    const names = sources.map(([src, text]) => {
      expect(text, `${url}: inline script`).toBe('');
      return /^\/_astro\/(\w+)\.[\w.-]+\.js$/.exec(src ?? '')?.[1] ?? src;
    });
    expect(names, url).toEqual(['BaseLayout']);
    await expect(page.getByRole('banner')).toHaveCount(1);
    await expect(page.getByRole('main')).toHaveCount(1);
    await expect(page.getByRole('contentinfo')).toHaveCount(1);

    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Naar de inhoud' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
  }
});

test('a reader follows a series: "Volg deze reeks" leads to a page with the feed\'s address, and the feed lists the published parts in order with their descriptions', async ({
  page,
  request,
}) => {
  const feedUrl = `${series.url}rss.xml`;
  for (const url of [series.url, ...parts.map((part) => part.url)]) {
    await page.goto(url);
    const follow = page.getByRole('link', { name: 'Volg deze reeks' });
    await expect(follow, url).toBeVisible();
    // A page a person can read, never the raw feed (issue 25).
    await expect(follow, url).toHaveAttribute('href', `${series.url}volgen/`);
    await expect(
      page.locator(`head link[rel="alternate"][type="application/rss+xml"][href="${feedUrl}"]`),
      url,
    ).toHaveAttribute('title', `${series.title}: alle delen`);
  }

  await page.getByRole('link', { name: 'Volg deze reeks' }).click();
  await expect(page.getByLabel('Adres van de feed')).toHaveValue(new RegExp(`${feedUrl}$`));

  const response = await request.get(feedUrl);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('xml');
  // Read the way a feed reader reads it: as XML.
  const feed = await page.evaluate(
    (xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const text = (parent: Element | Document, name: string) =>
        parent.querySelector(name)?.textContent ?? '';
      return {
        title: text(doc.querySelector('channel')!, ':scope > title'),
        items: [...doc.querySelectorAll('item')].map((item) => ({
          title: text(item, 'title'),
          description: text(item, 'description'),
          link: text(item, 'link'),
        })),
      };
    },
    await response.text(),
  );
  expect(feed.title).toBe(`${series.title} | ${site.name}`);
  // In reading order, the draft fourth part of the test content left out.
  expect(feed.items.map((item) => item.title)).toEqual(
    parts.map((part, index) => `Deel ${index + 1}: ${part.title}`),
  );
  for (const [index, part] of parts.entries()) {
    await page.goto(part.url);
    const description = await page.locator('meta[name="description"]').getAttribute('content');
    expect(feed.items[index]!.description).toBe(description);
    expect(new URL(feed.items[index]!.link).pathname).toBe(part.url);
  }
});
