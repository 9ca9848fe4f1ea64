// "Laat een bericht achter" in Chromium on the production server with the run's own database
// (playwright.config.ts): without script, with script, against bots, and in the report. Stored
// messages go to parts 1 and 3 only: contact.spec.ts counts the contact clicks of part 2.
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { expect, test, type Page } from '@playwright/test';
import { followForm as followFormSettings, messageForm as messageFormSettings } from '../src/site.config.ts';

const series = 'digitale-transformatie';
const part1 = {
  url: `/${series}/de-impact-op-het-informatiebeleid/`,
  part: 1,
  title: 'De impact op het informatiebeleid',
};
const part2 = { url: `/${series}/kansen-voor-de-dienstverlening/`, part: 2 };
const part3 = { url: `/${series}/gevolgen-voor-de-i-en-a-organisatie/`, part: 3 };
const login = { username: 'marketing', password: process.env.E2E_STATS_PASSWORD! };

function query(sql: string, ...values: (string | number)[]) {
  const db = new DatabaseSync(process.env.E2E_DB_PATH!, { readOnly: true });
  try {
    return db.prepare(sql).all(...values) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
/** Messages with this text, as the server stored them. */
const storedMessages = (question: string) => query('SELECT * FROM messages WHERE question = ?', question);
const messageClicks = (path: string) =>
  query("SELECT * FROM events WHERE type = 'contact_click' AND channel = 'message' AND path = ?", path)
    .length;

/** A question no other test sends. */
const uniqueQuestion = (text: string) => `${text} (${randomUUID()})`;

const messageForm = (page: Page) => page.getByRole('form', { name: 'Laat een bericht achter voor Job' });

async function fill(
  page: Page,
  { name = 'Anna de Vries', email = 'anna@gemeente.example.nl', question = '', consent = true } = {},
) {
  const form = messageForm(page);
  await form.getByLabel('Naam').fill(name);
  await form.getByLabel('E-mailadres').fill(email);
  await form.getByLabel('Je vraag').fill(question);
  if (consent) await form.getByLabel(/Ik ga akkoord met de privacyverklaring/).check();
}

/** Opens a part and returns a function that waits until a person could have filled in its form. */
async function openPart(page: Page, url: string) {
  await page.goto(url);
  const served = Date.now();
  return () =>
    page.waitForTimeout(Math.max(0, served + messageFormSettings.minFillSeconds * 1000 + 300 - Date.now()));
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a message is stored with its part and the reader gets the thank-you page', async ({ page }) => {
    const question = uniqueQuestion('Hoe begin ik met een informatievisie?');
    const readAndType = await openPart(page, part1.url);
    await expect(messageForm(page).getByRole('heading')).toHaveText('Laat een bericht achter voor Job');
    await expect(messageForm(page).getByRole('link', { name: 'privacyverklaring' })).toHaveAttribute(
      'href',
      '/privacy/',
    );
    await fill(page, { question });
    await readAndType();
    await messageForm(page).getByRole('button', { name: 'Verstuur bericht' }).click();

    await expect(page).toHaveURL(/\/berichten\/bedankt\/\?pagina=/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bedankt voor je bericht');
    await expect(page.getByRole('main')).toContainText('Job leest het en antwoordt je zo snel mogelijk');
    expect(storedMessages(question)).toEqual([
      expect.objectContaining({
        path: part1.url,
        series,
        part: 1,
        author: 'job-coenen',
        name: 'Anna de Vries',
        email: 'anna@gemeente.example.nl',
      }),
    ]);
    await page
      .getByRole('link', { name: `Terug naar Digitale transformatie, deel 1: ${part1.title}` })
      .click();
    await expect(page).toHaveURL(part1.url);
  });

  test('an invalid e-mail address gets a Dutch error at that field, with everything else kept', async ({
    page,
  }) => {
    const question = uniqueQuestion('Mag ik je iets vragen over\nde informatievisie?');
    const readAndType = await openPart(page, part1.url);
    await fill(page, { email: 'anna-at-gemeente', question });
    await readAndType();
    const response = page.waitForResponse((answer) => answer.url().endsWith('/berichten/'));
    await messageForm(page).getByRole('button', { name: 'Verstuur bericht' }).click();
    expect((await response).status()).toBe(422);

    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Je bericht is nog niet verstuurd');
    const form = messageForm(page);
    const email = form.getByLabel('E-mailadres');
    const error = 'Vul een geldig e-mailadres in, zoals naam@gemeente.nl.';
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    await expect(email).toHaveAccessibleDescription(error);
    await expect(form.getByText(error)).toBeVisible();
    await expect(page.getByRole('link', { name: error })).toHaveAttribute('href', '#bericht-email');
    await expect(email).toHaveValue('anna-at-gemeente');
    await expect(form.getByLabel('Naam')).toHaveValue('Anna de Vries');
    await expect(form.getByLabel('Naam')).not.toHaveAttribute('aria-invalid');
    await expect(form.getByLabel('Je vraag')).toHaveValue(question);
    await expect(form.getByLabel(/Ik ga akkoord/)).toBeChecked();
    expect(storedMessages(question)).toEqual([]);

    // Corrected, the same form goes through.
    await email.fill('anna@gemeente.example.nl');
    await form.getByRole('button', { name: 'Verstuur bericht' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bedankt voor je bericht');
    expect(storedMessages(question)).toHaveLength(1);
  });

  test('a bot that fills in the honeypot, or sends at once, is thanked and nothing is stored', async ({
    page,
  }) => {
    const honeypotQuestion = uniqueQuestion('Goedkope links!');
    const readAndType = await openPart(page, part2.url);
    await fill(page, { question: honeypotQuestion });
    // People never see or reach this field; bots fill in every field they find. (The follow form
    // on the same page has one of its own.)
    const honeypot = messageForm(page).locator('input[name="website"]');
    await expect(honeypot).toHaveAttribute('tabindex', '-1');
    await expect(honeypot).toHaveAttribute('autocomplete', 'off');
    await expect(
      messageForm(page)
        .locator('[aria-hidden="true"]')
        .filter({ has: page.locator('input[name="website"]') }),
    ).toHaveCount(1);
    await honeypot.fill('https://spam.example', { force: true });
    await readAndType();
    await messageForm(page).getByRole('button', { name: 'Verstuur bericht' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bedankt voor je bericht');

    const fastQuestion = uniqueQuestion('Snel snel');
    await page.goto(part2.url);
    await fill(page, { question: fastQuestion });
    await messageForm(page).getByRole('button', { name: 'Verstuur bericht' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bedankt voor je bericht');

    expect(storedMessages(honeypotQuestion)).toEqual([]);
    expect(storedMessages(fastQuestion)).toEqual([]);
  });
});

test('with JavaScript the form is sent in place: the reader stays on the part, errors and thanks are announced', async ({
  page,
}) => {
  const question = uniqueQuestion('Wat betekent dit voor ons I&A-team?');
  const clicksBefore = messageClicks(part3.url);
  const readAndType = await openPart(page, part3.url);
  const form = messageForm(page);
  const status = form.getByRole('status');
  let navigated = false;
  page.on('framenavigated', (frame) => (navigated ||= frame === page.mainFrame()));

  // Sent empty: every field says what is missing, focus goes to the first.
  await form.getByRole('button', { name: 'Verstuur bericht' }).click();
  await expect(status).toHaveText('Je bericht is nog niet verstuurd. Verbeter wat bij de velden staat.');
  await expect(form.getByLabel('Naam')).toBeFocused();
  await expect(form.getByLabel('Naam')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Naam')).toHaveAccessibleDescription('Vul je naam in.');
  await expect(form.getByLabel('Je vraag')).toHaveAccessibleDescription(
    'Hoogstens 2000 tekens. Vul je vraag in.',
  );
  await expect(form.getByLabel(/Ik ga akkoord/)).toHaveAccessibleDescription(
    'Ga akkoord met de privacyverklaring om je bericht te versturen.',
  );

  await fill(page, { question });
  await readAndType();
  await form.getByRole('button', { name: 'Verstuur bericht' }).click();
  await expect(status).toHaveText(
    'Bedankt, je bericht is verstuurd. Job antwoordt je zo snel mogelijk per e-mail.',
  );
  await expect(status).toBeFocused();
  await expect(form.getByLabel('Naam')).toBeHidden();
  await expect(form.getByLabel('Naam')).not.toHaveAttribute('aria-invalid');
  expect(page.url()).toMatch(new RegExp(`${part3.url}$`));
  expect(navigated).toBe(false);

  expect(storedMessages(question)).toEqual([
    expect.objectContaining({ path: part3.url, part: 3, series, author: 'job-coenen' }),
  ]);
  // The message counts as a contact click by message for this part.
  await expect.poll(() => messageClicks(part3.url)).toBe(clicksBefore + 1);
});

test('a message with HTML in it shows as plain text in the report', async ({ page, browser }) => {
  const question = uniqueQuestion(
    '<b>Vet?</b> <script>document.title="gehackt"</script> <img src=x onerror="document.title=1">',
  );
  const readAndType = await openPart(page, part1.url);
  await fill(page, { name: '<i>Anna</i>', question });
  await readAndType();
  await messageForm(page).getByRole('button', { name: 'Verstuur bericht' }).click();
  await expect(messageForm(page).getByRole('status')).toHaveText(/Bedankt, je bericht is verstuurd/);

  const marketing = await browser.newContext({ httpCredentials: login });
  const report = await marketing.newPage();
  await report.goto('/stats/');
  const item = report.getByRole('listitem').filter({ hasText: question });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(`Digitale transformatie, deel 1: ${part1.title}`);
  await expect(item).toContainText('<i>Anna</i> (anna@gemeente.example.nl)');
  await expect(item.locator('b, script, img, i')).toHaveCount(0);
  expect(await report.title()).toBe('Statistieken | Reeks');
  // Newest first: this message is listed before any older one.
  const first = report.locator('.stats-messages > li').first();
  await expect(first).toContainText(question);
  await marketing.close();
});

test('the privacy page says what is stored, why, for how long, and what never; the footer links to it', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy' }).click();
  await expect(page).toHaveURL('/privacy/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Privacy');
  const main = page.getByRole('main');
  await expect(main).toContainText('je naam, je e-mailadres en je vraag');
  await expect(main).toContainText('onder welk deel je het bericht achterliet');
  await expect(main).toContainText(`Hoe lang: ${messageFormSettings.retentionDays} dagen`);
  await expect(main).toContainText('Waarom:');
  await expect(main.getByRole('heading', { name: 'Wat we nooit bewaren' })).toBeVisible();
  for (const never of ['Geen cookies.', 'Geen IP-adressen.', 'Geen gegevens over je browser of apparaat']) {
    await expect(main).toContainText(never);
  }

  // Following a series: what is kept for a follower, and for how long; the outbox's record of mails.
  await expect(main.getByRole('heading', { name: 'Als je een reeks volgt per e-mail' })).toBeVisible();
  const kept = main.locator('#volgen ~ ul').first().getByRole('listitem');
  await expect(kept).toHaveText([
    'je e-mailadres;',
    'welke reeks je volgt;',
    'het moment waarop je bevestigde;',
    'de pagina waar je het formulier verstuurde.',
  ]);
  await expect(main).toContainText('Hoe lang: zolang je volgt.');
  await expect(main).toContainText('Meld je je af, dan verwijderen we je adres meteen.');
  await expect(main.getByRole('heading', { name: 'De verzendlijst' })).toBeVisible();
  await expect(main).toContainText(
    `Zo'n regel verdwijnt helemaal ${followFormSettings.mailRecordDays} dagen nadat de e-mail in de lijst kwam.`,
  );
});
