// Search on the production build (real content plus e2e/fixtures/test-additions): Dutch stems and
// compounds, filters, the dialog and its keyboard use, ?q= on the search page, highlighting on the
// part page, and what a page loads before and after search is opened.
import { expect, test, type Page } from '@playwright/test';

const part = {
  1: '/digitale-transformatie/de-impact-op-het-informatiebeleid/',
  2: '/digitale-transformatie/kansen-voor-de-dienstverlening/',
  3: '/digitale-transformatie/gevolgen-voor-de-i-en-a-organisatie/',
};

const resultList = (page: Page) => page.getByRole('list', { name: 'Zoekresultaten' });
/** Result links (one per result, its title) in ranking order. */
const resultLinks = (page: Page) => resultList(page).getByRole('listitem').getByRole('link');
/** The summary above the results, a live region. */
const summary = (page: Page) => page.locator('[data-search-page]').getByRole('status');

async function searchPage(page: Page, term: string) {
  await page.goto(`/zoeken/?q=${encodeURIComponent(term)}`);
  await expect(summary(page)).toContainText(term);
}

/** The paths the results link to, in order, without the highlight parameter. */
async function resultPaths(page: Page): Promise<string[]> {
  const hrefs = await resultLinks(page).evaluateAll((links) =>
    links.map((link) => link.getAttribute('href')!),
  );
  return hrefs.map((href) => new URL(href, 'http://x').pathname);
}

async function expectResultCount(page: Page, count: number) {
  await expect(summary(page)).toContainText(new RegExp(`^${count} resulta(at|ten) voor `));
  await expect(resultLinks(page)).toHaveCount(count);
}

test('a term found only in part 1 finds part 1, with its details and the term marked', async ({ page }) => {
  await searchPage(page, 'zevenmijlslaarzen');
  await expectResultCount(page, 1);
  await expect.poll(() => resultPaths(page)).toEqual([part[1]]);
  const result = resultList(page).getByRole('listitem').first();
  await expect(result.getByRole('link')).toHaveText('De impact op het informatiebeleid');
  await expect(result).toContainText(/Digitale transformatie · Deel 1 · 21 april 2020 · \d+ min leestijd/);
  await expect(result.locator('mark')).toHaveText(['zevenmijlslaarzen']);
});

test('an excerpt next to a heading reads as the article, without the section link', async ({ page }) => {
  // "hefboom" is in the heading "Het informatiebeleidsplan als hefboom" of part 1.
  await searchPage(page, 'hefboom');
  await expect(
    resultList(page)
      .locator('mark')
      .filter({ hasText: /^hefboom$/i })
      .first(),
  ).toBeVisible();
  await expect(resultList(page)).not.toContainText('Link naar de sectie');
});

test('Dutch stems: "gemeenten" finds "gemeente", "transformaties" finds "transformatie"', async ({
  page,
}) => {
  await searchPage(page, 'gemeenten');
  await expect(resultLinks(page).first()).toBeVisible();
  await expect(
    resultList(page)
      .locator('mark')
      .filter({ hasText: /^gemeente$/i })
      .first(),
  ).toBeVisible();

  // No article says "transformaties"; every part says "transformatie".
  await searchPage(page, 'transformaties');
  await expectResultCount(page, 3);
  await expect(
    resultList(page)
      .locator('mark')
      .filter({ hasText: /^transformatie$/i })
      .first(),
  ).toBeVisible();
});

test('parts of a compound find it, and a whole word ranks above a compound part', async ({ page }) => {
  // Part 1 says "informatiebeleidsplan", never "beleidsplan" or "beleid" on its own.
  await searchPage(page, 'beleidsplan');
  await expectResultCount(page, 3);
  await expect.poll(() => resultPaths(page)).toContain(part[1]);
  const part1 = resultList(page)
    .getByRole('listitem')
    .filter({ hasText: 'De impact op het informatiebeleid' });
  await expect(part1.locator('mark').first()).toHaveText('informatiebeleidsplan');

  await searchPage(page, 'beleid');
  await expectResultCount(page, 3);
  // Part 3 is the only article with the word "beleid" itself; part 1 has it only in compounds.
  await expect.poll(() => resultPaths(page)).toEqual([part[3], expect.any(String), expect.any(String)]);
  expect(await resultPaths(page)).toContain(part[1]);
  // The parts go to the index, never to the reader.
  await expect(resultList(page)).not.toContainText('⟦');
  await expect(resultList(page)).not.toContainText('⟧');
});

test('each filter narrows the results', async ({ page }) => {
  // The three parts and the two standalone posts of the test build say "gemeente(n)".
  await searchPage(page, 'gemeente');
  await expectResultCount(page, 5);
  const filters = page.locator('[data-search-page]');
  for (const [group, value, count] of [
    ['Reeks', 'Digitale transformatie', 3],
    ['Dienst', 'Dienstverlening & participatie', 1],
    ['Auteur', 'Mira Jansen', 1],
  ] as const) {
    const checkbox = filters.getByRole('group', { name: group }).getByRole('checkbox', { name: value });
    await checkbox.check();
    await expectResultCount(page, count);
    await checkbox.uncheck();
    await expectResultCount(page, 5);
  }
  await filters.getByRole('checkbox', { name: 'Mira Jansen' }).check();
  await expect.poll(() => resultPaths(page)).toEqual(['/artikelen/inwoners-aan-het-woord/']);
});

test('"/" opens the search dialog, Escape closes it and focus returns', async ({ page }) => {
  await page.goto(part[2]);
  const before = page.getByRole('link', { name: 'Job Coenen' });
  await before.focus();
  await page.keyboard.press('/');
  const dialog = page.getByRole('dialog', { name: 'Zoeken op deze site' });
  await expect(dialog).toBeVisible();
  const input = dialog.getByRole('searchbox');
  await expect(input).toBeFocused();

  await page.keyboard.type('zevenmijlslaarzen');
  await expect(dialog.getByRole('list', { name: 'Zoekresultaten' }).getByRole('link')).toHaveCount(1);
  await expect(dialog.getByRole('status')).toHaveText('1 resultaat voor zevenmijlslaarzen');
  await expect(dialog.getByRole('link', { name: 'Zoekpagina met filters' })).toHaveAttribute(
    'href',
    '/zoeken/?q=zevenmijlslaarzen',
  );
  // Keyboard only: Tab goes around inside the dialog and never leaves it.
  for (let step = 0; step < 8; step++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(before).toBeFocused();
});

test('Ctrl+K and the header button open the dialog; its close button returns focus', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Zoeken op deze site' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  const button = page.getByRole('banner').getByRole('button', { name: 'Zoeken' });
  await expect(button).toHaveAttribute('aria-haspopup', 'dialog');
  await button.click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('searchbox')).toBeFocused();
  await dialog.getByRole('button', { name: 'Sluiten', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();
});

test('a result opens the part with the search words marked', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('/');
  const dialog = page.getByRole('dialog', { name: 'Zoeken op deze site' });
  await expect(dialog.getByRole('searchbox')).toBeFocused();
  await page.keyboard.type('zevenmijlslaarzen');
  // The results of the whole word, not of the first letters typed on a slow machine.
  await expect(dialog.getByRole('status')).toHaveText('1 resultaat voor zevenmijlslaarzen');
  await dialog.getByRole('link', { name: 'De impact op het informatiebeleid' }).click();
  await expect(page).toHaveURL(`${part[1]}?pagefind-highlight=zevenmijlslaarzen`);
  await expect(page.locator('article mark.pagefind-highlight')).toHaveText(['zevenmijlslaarzen']);
});

test('?q= restores the search, typing updates it, and Back returns to the results', async ({ page }) => {
  await searchPage(page, 'zevenmijlslaarzen');
  const input = page.locator('[data-search-page]').getByRole('searchbox');
  await expect(input).toHaveValue('zevenmijlslaarzen');
  await expectResultCount(page, 1);

  await input.fill('levensgebeurtenissen');
  await expect(page).toHaveURL('/zoeken/?q=levensgebeurtenissen');
  await expect(resultLinks(page).first()).toBeVisible();
  await resultLinks(page).first().click();
  await expect(page).toHaveURL(/pagefind-highlight=levensgebeurtenissen/);
  await page.goBack();
  await expect(page).toHaveURL('/zoeken/?q=levensgebeurtenissen');
  await expect(input).toHaveValue('levensgebeurtenissen');
  await expect(resultLinks(page).first()).toBeVisible();
});

test('a term found nowhere shows the Dutch empty message, also to screen readers', async ({ page }) => {
  // Keep what the live regions say; each message stays there only briefly.
  await page.addInitScript(() => {
    const announced: string[] = ((window as unknown as { announced: string[] }).announced = []);
    new MutationObserver(() => {
      for (const region of document.querySelectorAll('[aria-live]')) {
        if (region.textContent) announced.push(region.textContent);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const announced = () => page.evaluate(() => (window as unknown as { announced: string[] }).announced);

  await searchPage(page, 'zevenmijlslaarzen');
  await expect.poll(announced).toContain('1 resultaat voor zevenmijlslaarzen');

  await searchPage(page, 'kwispeldoorzichtig');
  await expect(summary(page)).toHaveText('Geen resultaten voor kwispeldoorzichtig');
  await expect(resultLinks(page)).toHaveCount(0);
  await expect.poll(announced).toContain('Geen resultaten voor kwispeldoorzichtig');
});

test('without the index, the dialog says search is unavailable, and still closes', async ({ page }) => {
  await page.route('**/pagefind/pagefind.js', (route) => route.abort());
  await page.goto('/');
  await page.keyboard.press('/');
  const dialog = page.getByRole('dialog', { name: 'Zoeken op deze site' });
  await expect(dialog.getByRole('status')).toHaveText(
    'Zoeken is op dit moment niet beschikbaar. Probeer het later opnieuw.',
  );
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('no search code or index loads before the reader opens search', async ({ page }) => {
  const scripts: { url: string; bytes: number }[] = [];
  const searchRequests: string[] = [];
  page.on('response', async (response) => {
    const url = new URL(response.url()).pathname;
    if (url.startsWith('/pagefind/') || url.includes('/_astro/search')) searchRequests.push(url);
    if (response.request().resourceType() === 'script')
      scripts.push({ url, bytes: (await response.body()).length });
  });
  await page.goto(part[1]);
  await page.waitForLoadState('networkidle');
  expect(searchRequests).toEqual([]);
  // Only the site's script: the search opener, the contact tracking and the form's loader.
  expect(scripts.map((script) => script.url)).toEqual([expect.stringMatching(/^\/_astro\/BaseLayout\./)]);
  expect(scripts[0]!.bytes).toBeLessThan(2_500);

  await page.keyboard.press('/');
  const dialog = page.getByRole('dialog', { name: 'Zoeken op deze site' });
  await expect(dialog.getByRole('searchbox')).toBeFocused();
  await page.keyboard.type('beleid');
  await expect(dialog.getByRole('list', { name: 'Zoekresultaten' }).getByRole('link').first()).toBeVisible();
  expect(searchRequests).toContain('/pagefind/pagefind.js');
  expect(searchRequests.some((url) => url.endsWith('.pf_fragment'))).toBe(true);
});
