// WCAG 2.1 A/AA on every page type, in light and dark, on a small phone and a desktop.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { addressKey, confirmToken, unsubscribeToken } from '../src/server/follow-links.ts';
import { deriveKeys } from '../src/server/secrets.ts';

/** The links a follower's mail holds, signed with the test server's secret (playwright.config.ts). */
const keys = deriveKeys(process.env.E2E_SECRET!);
const follower = { email: 'lezer@gemeente.example.nl', series: 'digitale-transformatie' };

const pageTypes = {
  home: '/',
  series: '/digitale-transformatie/',
  part: '/digitale-transformatie/de-impact-op-het-informatiebeleid/',
  standalone: '/artikelen/over-deze-site/',
  author: '/auteurs/job-coenen/',
  service: '/diensten/i-visie-en-beleid/',
  privacy: '/privacy/',
  accessibilityStatement: '/toegankelijkheid/',
  notFound: '/bestaat-niet/',
  searchWithResults: '/zoeken/?q=beleid',
  follow: '/digitale-transformatie/volgen/',
  followSent: '/volgen/verstuurd/?reeks=digitale-transformatie',
  followConfirm: `/volgen/bevestigen/?t=${confirmToken(keys, { ...follower, from: '/digitale-transformatie/volgen/', requestedAt: Date.now() })}`,
  followLinkInvalid: '/volgen/bevestigen/?t=ongeldig',
  unsubscribe: `/volgen/afmelden/?t=${unsubscribeToken(keys, { addressKey: addressKey(keys, follower.email), series: follower.series })}`,
};

const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const violationsOf = async (page: Page) =>
  (await new AxeBuilder({ page }).withTags(wcag).analyze()).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );

for (const colorScheme of ['light', 'dark'] as const) {
  for (const [device, viewport] of [
    ['320px', { width: 320, height: 640 }],
    ['desktop', { width: 1280, height: 800 }],
  ] as const) {
    test(`no WCAG 2.1 A/AA violations, ${colorScheme}, ${device}`, async ({ page }) => {
      // Twenty pages and states, each analysed by axe: minutes on a busy machine, not seconds.
      test.setTimeout(300_000);
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme });
      for (const [type, url] of Object.entries(pageTypes)) {
        await page.goto(url);
        if (type === 'searchWithResults')
          await expect(page.getByRole('status')).toHaveText(/^\d+ resultaten voor beleid/);
        // The page a valid link opens, not the one for a link that is not.
        if (type === 'followConfirm')
          await expect(
            page.getByRole('button', { name: 'Ja, ik volg Digitale transformatie' }),
          ).toBeVisible();
        if (type === 'unsubscribe')
          await expect(page.getByRole('button', { name: 'Afmelden voor alle reeksen' })).toBeVisible();
        expect(await violationsOf(page), `${type} (${url})`).toEqual([]);
      }

      // The search dialog, open with results.
      await page.goto(pageTypes.home);
      await page.keyboard.press('/');
      const dialog = page.getByRole('dialog', { name: 'Zoeken op deze site' });
      await dialog.getByRole('searchbox').fill('beleid');
      await expect(dialog.getByRole('status')).toHaveText(/^\d+ resultaten voor beleid/);
      await expect(
        dialog.getByRole('list', { name: 'Zoekresultaten' }).getByRole('link').first(),
      ).toBeVisible();
      expect(await violationsOf(page), 'search dialog with results').toEqual([]);

      // The message form with its errors shown in place by its script...
      await page.goto(pageTypes.part);
      const form = page.getByRole('form', { name: /Laat een bericht achter/ });
      await form.getByRole('button', { name: 'Verstuur bericht' }).click();
      await expect(form.getByLabel('Naam')).toHaveAttribute('aria-invalid', 'true');
      expect(await violationsOf(page), 'message form with errors').toEqual([]);

      // ...and the page a browser without it gets back from the server.
      await page.route('**/_astro/message-form-*.js', (route) => route.abort());
      await page.goto(pageTypes.part);
      await form.getByLabel('E-mailadres').fill('geen-adres');
      await form.getByRole('button', { name: 'Verstuur bericht' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Je bericht is nog niet verstuurd');
      await expect(form.getByLabel('E-mailadres')).toHaveAttribute('aria-invalid', 'true');
      expect(await violationsOf(page), 'message form returned with errors').toEqual([]);
      await page.unroute('**/_astro/message-form-*.js');

      // The follow form as the server returns it with a mistake, and the page after unsubscribing.
      await page.goto(pageTypes.follow);
      const followForm = page.getByRole('form', { name: 'Volg deze reeks per e-mail' });
      await followForm.getByRole('textbox', { name: 'E-mailadres' }).fill('geen-adres');
      await followForm.getByRole('button', { name: 'Volg Digitale transformatie' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Controleer je e-mailadres');
      await expect(followForm.getByRole('textbox', { name: 'E-mailadres' })).toHaveAttribute(
        'aria-invalid',
        'true',
      );
      expect(await violationsOf(page), 'follow form returned with errors').toEqual([]);
      await page.goto(pageTypes.unsubscribe);
      await page.getByRole('button', { name: 'Afmelden voor Digitale transformatie' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Je was al afgemeld');
      expect(await violationsOf(page), 'unsubscribed').toEqual([]);
    });
  }
}

test('a keyboard user reaches everything on a part with Tab alone, always seeing where focus is', async ({
  page,
}) => {
  // Without smooth scrolling, so "in view" can be checked the moment focus moves.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(pageTypes.part);
  const stops: string[] = [];
  for (let step = 0; step < 60; step++) {
    await page.keyboard.press('Tab');
    // Jumps scroll smoothly (global.css), so a focused link may need a moment to come into view.
    await page
      .waitForFunction(
        () => {
          const box = document.activeElement?.getBoundingClientRect();
          return !box || (box.bottom > 0 && box.top < window.innerHeight);
        },
        null,
        { timeout: 2_000 },
      )
      .catch(() => {});
    const focus = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return {
        name: (
          element.getAttribute('aria-label') ??
          (element as HTMLInputElement).labels?.[0]?.textContent ??
          element.textContent ??
          ''
        )
          .trim()
          .replace(/\s+/g, ' '),
        region:
          element
            .closest('header, main article, main nav, main aside, main, footer')
            ?.tagName.toLowerCase() ?? '',
        visible:
          style.outlineStyle !== 'none' &&
          parseFloat(style.outlineWidth) >= 2 &&
          box.width > 0 &&
          box.height > 0,
        inView: box.bottom > 0 && box.top < window.innerHeight,
      };
    });
    if (!focus) break;
    expect(focus.visible, `focus on "${focus.name}" is visible`).toBe(true);
    expect(focus.inView, `focus on "${focus.name}" is scrolled into view`).toBe(true);
    stops.push(focus.name);
  }
  const order = (text: string | RegExp) =>
    stops.findIndex((name) => (typeof text === 'string' ? name === text : text.test(name)));
  const skip = order('Naar de inhoud');
  const home = order('Reeks');
  const author = order('Job Coenen');
  const sectionAnchor = order(/^# ?Link naar de sectie/);
  const contact = order(/^Mail /);
  const messageName = order('Naam');
  const consent = order(/^Ik ga akkoord met de privacyverklaring/);
  const send = order('Verstuur bericht');
  const next = order(/^Volgend deel/);
  const outline = order('Kansen en impact voor de dienstverlening');
  const privacy = order('Privacy');
  expect(skip).toBe(0);
  expect(stops, 'the honeypot is never reached').not.toContain('Website');
  const walk = [
    skip,
    home,
    author,
    sectionAnchor,
    contact,
    messageName,
    consent,
    send,
    next,
    outline,
    privacy,
  ];
  expect(
    walk.every((index, i) => index > (walk[i - 1] ?? -1)),
    `tab order ${JSON.stringify(stops)}`,
  ).toBe(true);
});

test('the footer links to the accessibility statement: its status, what CI tests, and where to report a problem', async ({
  page,
}) => {
  await page.goto(pageTypes.home);
  await page.getByRole('contentinfo').getByRole('link', { name: 'Toegankelijkheid' }).click();
  await expect(page).toHaveURL(pageTypes.accessibilityStatement);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Toegankelijkheidsverklaring');
  await expect(page.getByText('Status C: eerste maatregelen genomen.')).toBeVisible();
  await expect(
    page.getByRole('listitem').filter({ hasText: /volledig onderzoek volgens WCAG-EM/ }),
  ).toBeVisible();
  for (const heading of ['Wat we testen, en hoe', 'Wat nog niet goed gaat', 'Een probleem melden'])
    await expect(page.getByRole('heading', { level: 2, name: heading })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: 'De editor voor de redactie' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'redactie@reeks.example.com' })).toHaveAttribute(
    'href',
    'mailto:redactie@reeks.example.com',
  );
  await expect(page.locator('time').last()).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}$/);
});

/** How far the page scrolls sideways, and the element that sticks out furthest, to say what to fix. */
const sidewaysScroll = (page: Page) =>
  page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    let widest = '';
    let right = window.innerWidth;
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      // Inside a box that scrolls on its own, sticking out is what the box is for.
      if (box.right > right && !element.parentElement?.closest('.overflow-x-auto')) {
        right = box.right;
        widest = `${element.tagName.toLowerCase()}.${element.className}: ${element.textContent?.trim().slice(0, 60)}`;
      }
    }
    return { overflow, widest };
  });

test('every page type fits a 320 px wide screen without sideways scrolling, whatever the fonts', async ({
  browser,
}) => {
  // Logged in to the report too; its tables scroll in boxes of their own.
  const context = await browser.newContext({
    viewport: { width: 320, height: 640 },
    httpCredentials: { username: 'marketing', password: process.env.E2E_STATS_PASSWORD! },
  });
  const page = await context.newPage();
  const urls = [
    ...Object.values(pageTypes),
    '/digitale-transformatie/kansen-voor-de-dienstverlening/',
    '/digitale-transformatie/gevolgen-voor-de-i-en-a-organisatie/',
    '/stats/',
    '/stats/publicaties/',
    `/berichten/bedankt/?pagina=${encodeURIComponent(pageTypes.part)}`,
  ];
  for (const url of urls) {
    await page.goto(url);
    const { overflow, widest } = await sidewaysScroll(page);
    expect(overflow, `${url}: ${widest}`).toBeLessThanOrEqual(0);
  }
  // The report's charts keep their labels readable: drawn no smaller, they scroll in a box.
  await page.goto('/stats/');
  const labelHeights = await page
    .locator('svg[role="img"] text')
    .evaluateAll((labels) => labels.map((label) => label.getBoundingClientRect().height));
  expect(labelHeights.length).toBeGreaterThan(5);
  expect(Math.min(...labelHeights)).toBeGreaterThanOrEqual(10);
  await context.close();
});

test.describe('zoom', () => {
  // The test adds a style to the page, which the site's own Content-Security-Policy would block.
  test.use({ bypassCSP: true });

  test('text zoomed to 200% still fits without sideways scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const url of Object.values(pageTypes)) {
      await page.goto(url);
      await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
      const { overflow, widest } = await sidewaysScroll(page);
      expect(overflow, `${url}: ${widest}`).toBeLessThanOrEqual(0);
    }
  });
});

test('jumps within a page are smooth, unless the reader asks for reduced motion', async ({ page }) => {
  const scrollBehaviour = () =>
    page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await page.goto(pageTypes.part);
  expect(await scrollBehaviour()).toBe('smooth');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect(await scrollBehaviour()).toBe('auto');
});
