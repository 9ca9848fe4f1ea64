// Findable, shareable, fast and safe: checked on the production build the other tests use.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import sharp from 'sharp';

const client = 'dist-test/client';
const htmlFiles = readdirSync(client, { recursive: true, encoding: 'utf8' }).filter((file) =>
  file.endsWith('.html'),
);
const pages = htmlFiles.map((file) => ({ file, html: readFileSync(join(client, file), 'utf8') }));
/** The error pages are served for a status on other addresses, never at their own (404 there). */
const errorPages = ['404.html', '500.html'];
const part = '/digitale-transformatie/kansen-voor-de-dienstverlening/';
const drafts = ['concept-vierde-deel', 'gepland-artikel'];

async function structuredData(page: import('@playwright/test').Page) {
  const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
  return blocks.map((block) => JSON.parse(block));
}

test('every page has its own title, a description, a canonical URL and social tags', async ({ page }) => {
  const titles = new Set<string>();
  for (const { file, html } of pages) {
    if (file === '500.html') {
      // Shown only when something fails on the server: read from the build.
      const title = /<title>([^<]+)<\/title>/.exec(html)![1]!;
      expect(titles.has(title), `500.html repeats the title "${title}"`).toBe(false);
      titles.add(title);
      continue;
    }
    const url = file === '404.html' ? '/404/' : `/${file.replace(/index\.html$/, '')}`;
    await page.goto(url);
    const title = await page.title();
    expect(titles.has(title), `${url} repeats the title "${title}"`).toBe(false);
    titles.add(title);
    for (const selector of [
      'meta[name="description"]',
      'meta[property="og:title"]',
      'meta[property="og:description"]',
      'meta[name="twitter:card"]',
    ]) {
      await expect(page.locator(selector), `${url} ${selector}`).toHaveAttribute('content', /\S/);
    }
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute(
      'href',
      new RegExp(`^https://[^/]+${url.replace(/\//g, '\\/')}$`),
    );
  }
});

test('parts and series have a 1200×630 preview image with series, part and title', async ({
  page,
  request,
}) => {
  for (const url of [part, '/digitale-transformatie/']) {
    await page.goto(url);
    const image = await page.locator('meta[property="og:image"]').getAttribute('content');
    await expect(page.locator('meta[name="twitter:card"]')).toHaveAttribute('content', 'summary_large_image');
    const response = await request.get(new URL(image!).pathname);
    expect(response.headers()['content-type']).toBe('image/png');
    const meta = await sharp(await response.body()).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 630]);
  }
  // Drawn on request, for the pages of the build only.
  expect((await request.get('/og/digitale-transformatie/bestaat-niet.png')).status()).toBe(404);
  await page.goto(part);
  await expect(page.locator('meta[property="og:image:alt"]')).toHaveAttribute(
    'content',
    'Digitale transformatie, Deel 2 van 3, Kansen en impact voor de dienstverlening',
  );
});

test('a part describes itself as a BlogPosting in a CreativeWorkSeries, with breadcrumbs', async ({
  page,
}) => {
  await page.goto(part);
  const [posting, breadcrumbs] = await structuredData(page);
  expect(posting).toMatchObject({
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: 'Kansen en impact voor de dienstverlening',
    datePublished: '2020-06-09',
    dateModified: '2020-06-09',
    timeRequired: expect.stringMatching(/^PT\d+M$/),
    author: { '@type': 'Person', name: 'Job Coenen' },
    position: 2,
    isPartOf: { '@type': 'CreativeWorkSeries', name: 'Digitale transformatie' },
  });
  const minutes = (await page.locator('[data-reading-time]').textContent())!.match(/\d+/)![0];
  expect(posting.timeRequired).toBe(`PT${minutes}M`);
  expect(breadcrumbs['@type']).toBe('BreadcrumbList');
  expect(breadcrumbs.itemListElement.map((step: { name: string }) => step.name)).toEqual([
    'Reeks',
    'Digitale transformatie',
    'Kansen en impact voor de dienstverlening',
  ]);

  await page.goto('/digitale-transformatie/');
  const [series] = await structuredData(page);
  expect(series['@type']).toBe('CreativeWorkSeries');
  expect(series.hasPart.map((p: { position: number; '@type': string }) => [p['@type'], p.position])).toEqual([
    ['BlogPosting', 1],
    ['BlogPosting', 2],
    ['BlogPosting', 3],
  ]);
});

test('the feed, the sitemap and robots.txt list published pages only', async ({ request }) => {
  const feed = await (await request.get('/rss.xml')).text();
  // The three parts and the two published standalone posts of the test build.
  expect(feed.match(/<item>/g)).toHaveLength(5);
  expect(feed).toContain('<title>Digitale transformatie, deel 1: De impact op het informatiebeleid</title>');

  const index = await (await request.get('/sitemap-index.xml')).text();
  const sitemapUrl = new URL(index.match(/<loc>([^<]+)<\/loc>/)![1]!);
  const sitemap = await (await request.get(sitemapUrl.pathname)).text();
  expect(sitemap).toContain(`${part}</loc>`);
  expect(sitemap).not.toMatch(/\/stats\/|404/);

  const robots = await (await request.get('/robots.txt')).text();
  expect(robots).toMatch(/^Sitemap: https:\/\/\S+\/sitemap-index\.xml$/m);

  for (const draft of drafts) {
    expect(feed).not.toContain(draft);
    expect(sitemap).not.toContain(draft);
  }
});

test('no internal link or anchor is broken anywhere in the site', async ({ request }) => {
  const ids = new Map<string, Set<string>>();
  const idsOf = async (path: string) => {
    if (!ids.has(path)) {
      const html = await (await request.get(path)).text();
      ids.set(path, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!)));
    }
    return ids.get(path)!;
  };
  let checked = 0;
  for (const { file, html } of pages) {
    const from = errorPages.includes(file) ? '/' : `/${file.replace(/index\.html$/, '')}`;
    for (const [, target] of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      if (!target || /^(https?:|mailto:|tel:)/.test(target)) continue;
      const url = new URL(target.replaceAll('&amp;', '&'), `http://site${from}`);
      const response = await request.get(url.pathname);
      expect(response.status(), `${from} links to ${target}`).toBe(200);
      if (url.hash)
        expect(
          (await idsOf(url.pathname)).has(decodeURIComponent(url.hash.slice(1))),
          `${from} links to ${target}`,
        ).toBe(true);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(50);
});

test('every page stays within its budget: one script under 1 KB gzipped before any interaction, little CSS, sized modern images, no web fonts', async ({
  request,
}) => {
  const css = new Map<string, number>();
  const gzipped = async (src: string) => gzipSync(await (await request.get(src)).body()).length;
  for (const { file, html } of pages) {
    // JSON-LD is data. Every page has one script, the site's (src/client/site.ts): the search
    // opener, the contact tracking and what loads the message form's script once the reader starts
    // on the form. Search and form code load only when used (e2e/search.spec.ts, messages.spec.ts).
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].filter(
      ([, attributes]) => !attributes!.includes('application/ld+json'),
    );
    expect(
      scripts.map(([tag]) => /src="\/_astro\/(\w+)\.[^"]+\.js"/.exec(tag)?.[1] ?? tag),
      `${file} ships JavaScript`,
    ).toEqual(['BaseLayout']);
    const src = /src="([^"]+)"/.exec(scripts[0]![0])![1]!;
    expect(await gzipped(src), `${file}: ${src}, gzipped`).toBeLessThan(1024);

    let cssBytes = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].reduce(
      (sum, [, style]) => sum + gzipSync(style!).length,
      0,
    );
    for (const [, href] of html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)) {
      if (!css.has(href!)) css.set(href!, gzipSync(await (await request.get(href!)).body()).length);
      cssBytes += css.get(href!)!;
    }
    expect(cssBytes, `${file} CSS, gzipped`).toBeLessThan(20_000);

    for (const [image] of html.matchAll(/<img\b[^>]*>/g)) {
      expect(image, file).toMatch(/\swidth="\d+"/);
      expect(image, file).toMatch(/\sheight="\d+"/);
      expect(image, file).toMatch(/\ssrc="[^"]+\.(webp|avif|svg)"/);
    }
    expect(html).not.toMatch(/fonts\.googleapis|@font-face/);
  }
});

test('every response of the server carries the security headers, pages a strict script policy', async ({
  request,
}) => {
  const css = /href="(\/_astro\/[^"]+\.css)"/.exec(pages[0]!.html)![1]!;
  for (const url of [
    '/',
    part,
    css,
    '/rss.xml',
    '/og/digitale-transformatie.png',
    '/bestaat-niet/',
    '/api/events/',
  ]) {
    const headers = (await request.get(url)).headers();
    expect(headers['x-content-type-options'], url).toBe('nosniff');
    expect(headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy'], url).toContain('camera=()');
    const policy = headers['content-security-policy'];
    expect(policy, url).toContain("frame-ancestors 'none'");
    expect(policy, url).not.toContain('unsafe-inline');
  }
  const pagePolicy = (await request.get(part)).headers()['content-security-policy']!;
  expect(pagePolicy).toMatch(/script-src 'self'( 'sha256-[\w+/=]+')*;/);
});

test('the pages work under their own policy: no violation reported in the browser', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  for (const url of ['/', part, '/artikelen/over-deze-site/', '/bestaat-niet/']) await page.goto(url);
  expect(violations).toEqual([]);
});

test('a static host gets the same headers from dist/client/_headers', () => {
  const file = readFileSync(join(client, '_headers'), 'utf8');
  expect(file).toMatch(/^\/\*\n {2}X-Content-Type-Options: nosniff\n/);
  expect(file).toContain(`${part}\n  Content-Security-Policy: default-src 'self'`);
});
