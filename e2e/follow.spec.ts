// Following a series by e-mail (issue 25), end to end: the production server on fixture content,
// published with `npm run publish` (scripts/publish.ts) and served from `current` by one `npm start`
// that switches to each new release by itself, without a restart (src/server/workers.ts), and
// sends to a local SMTP sink. Readers follow from part 1 and confirm through the
// page the link in their mail opens; a part that goes live mails each follower once, a second
// publish sends nothing, and a one-click unsubscribe (RFC 8058) or the unsubscribe page's button
// stops the next part's mail. The first release the server serves is recorded without mail.
// One flow, in order: the tests share the servers, the sink and the database.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test, type Page } from '@playwright/test';
import { todayIn } from '../src/lib/dates.ts';
import { buildCacheDir, messageForm, site } from '../src/site.config.ts';
import { runPublish } from './fixtures/build.ts';
import { fixtureContent, writeTestSeriesPart } from './fixtures/content-tree.ts';
import { rawPost, startServer, type RunningServer } from './fixtures/server.ts';
import { startSmtpSink, type SmtpSink } from './fixtures/smtp-sink.ts';

test.describe.configure({ mode: 'serial' });

/** A calendar day `days` after `day` (YYYY-MM-DD). */
const plusDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const today = todayIn(site.timeZone);
const part1 = '/testreeks/eerste-deel/';
const part3 = { day: plusDays(today, 1), path: '/testreeks/derde-deel/', title: 'Derde deel' };
const part4 = { day: plusDays(today, 2), path: '/testreeks/vierde-deel/', title: 'Vierde deel' };
const readers = {
  /** Unsubscribes with a one-click POST, urlencoded. */
  anna: 'anna@gemeente.example.nl',
  /** Follows to the end. */
  bram: 'bram@gemeente.example.nl',
  /** Unsubscribes with a one-click POST as multipart/form-data. */
  carla: 'carla@gemeente.example.nl',
  /** Follows, confirms and unsubscribes in a browser without JavaScript. */
  dirk: 'dirk@gemeente.example.nl',
  /** Asks, but only a mail scanner opens the link: never a follower. */
  eva: 'eva@gemeente.example.nl',
  /** Confirms once part 3 is live: gets part 4, never part 3. */
  frank: 'frank@gemeente.example.nl',
};

let contentDir = '';
let dir = '';
let server: RunningServer | undefined;
let sink: SmtpSink;

function writePart(name: string, title: string, part: number, date: string) {
  writeTestSeriesPart(contentDir, { name, title, part, date });
}

/** Where the server's output was when the last publish began: what it printed for that release follows. */
let publishedAt = 0;

function publish(...args: string[]) {
  publishedAt = server?.output().length ?? 0;
  const result = runPublish(dir, contentDir, args);
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
}

/** What the server printed since the last publish began. */
const sincePublish = () => server!.output().slice(publishedAt);

/**
 * Serves `current` the way `npm start -- current` does: started after the first publish, and
 * after each later one switching to the new release by itself. Resolves once the release's parts
 * are recorded (and mails queued), which is after the database has passed its check.
 */
async function serveCurrent() {
  const release = readlinkSync(join(dir, 'current')).replace(/^releases\//, '');
  server ??= await startServer(join(dir, 'current'), {
    REEKS_DB_PATH: join(dir, 'site.db'),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    SMTP_FROM: 'Reeks <noreply@reeks.example.com>',
    // Fast, so the test waits for mail, not for the pace.
    REEKS_MAILS_PER_MINUTE: '6000',
    // Every reader follows from this machine; the limit per client is not what this file tests.
    REEKS_MESSAGES_PER_HOUR: '1000',
  });
  await expect
    .poll(sincePublish, { timeout: 30_000 })
    .toMatch(new RegExp(`^Publications: .*\\brelease ${release}\\b`, 'm'));
}

function query(sql: string, ...values: (string | number)[]) {
  const db = new DatabaseSync(join(dir, 'site.db'), { readOnly: true });
  try {
    return db.prepare(sql).all(...values) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const followers = () => query('SELECT email FROM followers ORDER BY email').map((row) => row.email as string);

/** Waits until the outbox has nothing left to send or sending. */
async function outboxDrained() {
  await expect
    .poll(() => query("SELECT id FROM outbox WHERE state IN ('pending', 'sending')").length, {
      timeout: 30_000,
    })
    .toBe(0);
}

const mailsTo = (address: string, subject: RegExp) =>
  sink.mails.filter((mail) => mail.envelopeTo.includes(address) && subject.test(mail.subject ?? ''));

/** A link in a mail, on the test's server: mail links use the site's public address (SITE_URL). */
function onServer(link: string): string {
  const url = new URL(link);
  expect(url.origin).toBe(site.url);
  return `${server!.url}${url.pathname}${url.search}`;
}

function linkIn(text: string, path: string): string {
  const found = new RegExp(`https?://[^\\s]+${path.replace(/\//g, '\\/')}\\?t=[^\\s]+`).exec(text);
  expect(found, `a link to ${path} in:\n${text}`).not.toBeNull();
  return found![0];
}

/** One header of a mail as it was sent, unfolded (RFC 5322: a line break before a space is folding). */
const headerLine = (mail: SmtpSink['mails'][number], name: string) =>
  mail.headerLines.find((line) => line.key === name.toLowerCase())?.line.replace(/\r?\n(?=[ \t])/g, '');

const followForm = (page: Page) => page.getByRole('form', { name: 'Volg deze reeks per e-mail' });

/**
 * Follows the series from part 1 as a reader does, and waits for the confirmation mail. With
 * `consentLater`, the reader first forgets the consent and is given the form back.
 */
async function followFromPart1(page: Page, address: string, { consentLater = false } = {}) {
  await page.goto(`${server!.url}${part1}`);
  const served = Date.now();
  const form = followForm(page);
  await expect(form.getByRole('link', { name: 'privacyverklaring' })).toHaveAttribute('href', '/privacy/');
  await form.getByRole('textbox', { name: 'E-mailadres' }).fill(address);
  if (!consentLater) await form.getByLabel(/Ik ga akkoord met de privacyverklaring/).check();
  // A form sent faster than a person could fill it in is a bot's: answered, but not heard.
  await page.waitForTimeout(Math.max(0, served + messageForm.minFillSeconds * 1000 + 300 - Date.now()));
  await form.getByRole('button', { name: 'Volg Testreeks' }).click();
  if (consentLater) {
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Controleer je e-mailadres');
    const consent = form.getByLabel(/Ik ga akkoord met de privacyverklaring/);
    await expect(consent).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByText('Geef toestemming om je e-mailadres te bewaren')).toBeVisible();
    // What the reader typed is kept.
    await expect(form.getByRole('textbox', { name: 'E-mailadres' })).toHaveValue(address);
    expect(mailsTo(address, /^Bevestig/)).toEqual([]);
    await consent.check();
    await form.getByRole('button', { name: 'Volg Testreeks' }).click();
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kijk in je mail');
  await expect(page.getByText('bevestigen dat je Testreeks wilt volgen')).toBeVisible();
  await expect.poll(() => mailsTo(address, /^Bevestig/).length, { timeout: 30_000 }).toBe(1);
  const [mail] = mailsTo(address, /^Bevestig/);
  expect(mail!.subject).toBe('Bevestig dat je "Testreeks" wilt volgen');
  return onServer(linkIn(mail!.text ?? '', '/volgen/bevestigen/'));
}

/** Opens the confirmation link, which only shows a button, and presses it. */
async function confirm(page: Page, link: string, address: string) {
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bevestig dat je Testreeks wilt volgen');
  await expect(page.getByRole('main').getByRole('button')).toHaveCount(1);
  // Opening the link, as a mail scanner does, changes nothing.
  expect(followers()).not.toContain(address);
  await page.getByRole('button', { name: 'Ja, ik volg Testreeks' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Je volgt nu Testreeks');
  // Kept with the follower: the page the follow came from.
  expect(query('SELECT source_path FROM followers WHERE email = ?', address)).toEqual([
    { source_path: part1 },
  ]);
}

/** The one mail each reader got for a part, checked for everything a part's mail must have. */
async function partMails(part: { path: string; title: string }, addresses: string[]) {
  // "Deel X van N" as the part's own page says it.
  const label = /Deel \d+ van \d+/.exec(await (await fetch(`${server!.url}${part.path}`)).text())![0];
  return addresses.map((address) => {
    const mails = mailsTo(address, new RegExp(`: ${part.title}$`));
    expect(mails, `mails about ${part.title} to ${address}`).toHaveLength(1);
    const [mail] = mails;
    // To this reader alone: no follower sees another's address.
    expect(mail!.envelopeTo).toEqual([address]);
    expect(mail!.to).toMatchObject({ value: [{ address }] });
    expect(mail!.subject).toBe(`Testreeks, ${label.toLowerCase()}: ${part.title}`);
    expect(mail!.text).toContain(`${label}: ${part.title}`);
    const partLink = `${site.url}${part.path}?utm_source=e-mail&utm_medium=email&utm_campaign=testreeks`;
    // Plain text and HTML, the same content; no image at all, so no tracking pixel.
    expect(mail!.text).toContain(`Lees het hier: ${partLink}`);
    expect(mail!.text).toContain(`Beschrijving van ${part.title}.`);
    expect(mail!.html).toContain(`href="${partLink.replaceAll('&', '&amp;')}"`);
    expect(mail!.html).not.toMatch(/<img/i);
    expect(mail!.attachments).toEqual([]);
    // The unsubscribe link in the body, and the headers a mail client offers its own button with.
    const unsubscribePage = linkIn(mail!.text ?? '', '/volgen/afmelden/');
    expect(mail!.html).toContain(`href="${unsubscribePage}"`);
    const listUnsubscribe = headerLine(mail!, 'List-Unsubscribe');
    expect(listUnsubscribe).toMatch(
      /^List-Unsubscribe: <https:\/\/[^>]+\/volgen\/afmelden\/een-klik\/\?t=.+>$/,
    );
    expect(headerLine(mail!, 'List-Unsubscribe-Post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    return {
      address,
      // As the site's public address gives them; onServer() puts them on the test's server.
      unsubscribePage,
      oneClick: /<([^>]+)>/.exec(listUnsubscribe!)![1]!,
    };
  });
}

let links: Record<string, { unsubscribePage: string; oneClick: string }> = {};

test.beforeAll(async () => {
  contentDir = fixtureContent();
  writePart('derde-deel', part3.title, 3, part3.day);
  writePart('vierde-deel', part4.title, 4, part4.day);
  // Inside the project: the built server finds its packages in node_modules.
  mkdirSync(join('node_modules', '.cache'), { recursive: true });
  dir = resolve(mkdtempSync(join('node_modules', '.cache', 'reeks-follow-')));
  sink = await startSmtpSink();
});

test.afterAll(async () => {
  await server?.stop();
  await sink?.close();
  // With what the publishes' builds kept for the next build of this content (docs/builds.md).
  for (const folder of [contentDir, dir, contentDir && buildCacheDir(contentDir)])
    if (folder) rmSync(folder, { recursive: true, force: true });
});

test('the first release is recorded without mail; "Volg deze reeks" leads to a page a person can read', async ({
  page,
}) => {
  test.setTimeout(240_000);
  publish();
  await serveCurrent();
  expect(sincePublish()).toMatch(/^Publications: 2 part\(s\) of release .+ recorded, no mail for those\.$/m);
  expect(query('SELECT series, part, mailed FROM publications ORDER BY part')).toEqual([
    { series: 'testreeks', part: 1, mailed: 0 },
    { series: 'testreeks', part: 2, mailed: 0 },
  ]);

  for (const path of ['/testreeks/', part1]) {
    await page.goto(`${server!.url}${path}`);
    // No visible link leads a person to a raw feed.
    await expect(page.locator('a[href*=".xml"]')).toHaveCount(0);
    const follow = page.getByRole('link', { name: 'Volg deze reeks' });
    await expect(follow.first()).toBeVisible();
    for (const link of await follow.all()) await expect(link).toHaveAttribute('href', '/testreeks/volgen/');
    if (path === part1) await expect(followForm(page)).toBeVisible();
  }
  // Nor does any other page of the release: feeds are only for <link rel="alternate">.
  const pages = readdirSync(join(dir, 'current', 'client'), { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.html'),
  );
  expect(pages.length).toBeGreaterThan(5);
  for (const file of pages)
    expect(readFileSync(join(dir, 'current', 'client', file), 'utf8'), file).not.toMatch(
      /<a\b[^>]*href="[^"]*\.xml[?#"]/,
    );
  await page.getByRole('link', { name: 'Volg deze reeks' }).first().click();
  await expect(page).toHaveURL(`${server!.url}/testreeks/volgen/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Volg Testreeks');
  await expect(followForm(page).getByRole('textbox', { name: 'E-mailadres' })).toBeVisible();
  await expect(page.getByText(/^Een feed is een lijst van nieuwe delen die een feedlezer/)).toBeVisible();
  await expect(page.getByLabel('Adres van de feed')).toHaveValue(`${site.url}/testreeks/rss.xml`);
  await expect(page.locator('a[href*=".xml"]')).toHaveCount(0);
  // Feed readers still find the feed.
  await expect(page.locator('link[rel="alternate"][href="/testreeks/rss.xml"]')).toHaveCount(1);
});

test('readers follow from part 1 and confirm through the page their link opens, once', async ({ page }) => {
  test.setTimeout(120_000);
  for (const address of [readers.anna, readers.bram, readers.carla]) {
    const link = await followFromPart1(page, address);
    await confirm(page, link, address);
  }
  // Confirming again is harmless, and says so.
  const again = onServer(linkIn(mailsTo(readers.anna, /^Bevestig/)[0]!.text ?? '', '/volgen/bevestigen/'));
  await page.goto(again);
  await page.getByRole('button', { name: 'Ja, ik volg Testreeks' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Je volgde Testreeks al');
  await expect(page.getByText('Je had dit al bevestigd; er verandert niets.')).toBeVisible();
  // A mail scanner opens the link in the mail; nobody presses the button.
  const scanned = await followFromPart1(page, readers.eva);
  expect((await fetch(scanned)).status).toBe(200);
  await page.goto(scanned);
  await expect(page.getByRole('button', { name: 'Ja, ik volg Testreeks' })).toBeVisible();
  expect(followers()).toEqual([readers.anna, readers.bram, readers.carla]);
  // The confirmation mails only: nothing about a part yet.
  expect(sink.mails).toHaveLength(4);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a reader follows (after a mistake the form points out) and confirms through the button', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const link = await followFromPart1(page, readers.dirk, { consentLater: true });
    await confirm(page, link, readers.dirk);
  });
});

test('a part that goes live mails each follower once, with its link and both unsubscribe headers', async () => {
  test.setTimeout(240_000);
  const before = sink.mails.length;
  publish('--date', part3.day);
  await serveCurrent();
  expect(sincePublish()).toMatch(/^New part: part 3 of testreeks, first in release .+\.$/m);
  expect(sincePublish()).toMatch(/^Mail queued for 4 follower\(s\)\.$/m);
  await outboxDrained();
  await expect.poll(() => sink.mails.length, { timeout: 30_000 }).toBe(before + 4);
  const got = await partMails(part3, [readers.anna, readers.bram, readers.carla, readers.dirk]);
  expect(mailsTo(readers.eva, /Derde deel/)).toEqual([]);
  links = Object.fromEntries(got.map((mail) => [mail.address, mail]));
  expect(query("SELECT state FROM outbox WHERE kind = 'part'")).toEqual(
    Array.from({ length: 4 }, () => ({ state: 'sent' })),
  );
});

test('publishing again sends nothing more, not even to a reader who confirmed since', async ({ page }) => {
  test.setTimeout(240_000);
  // Part 3 was live before this reader confirmed: it is never mailed to them.
  await confirm(page, await followFromPart1(page, readers.frank), readers.frank);
  const before = sink.mails.length;
  publish('--date', part3.day);
  await serveCurrent();
  expect(sincePublish()).not.toMatch(/^New part: /m);
  expect(sincePublish()).not.toMatch(/^Mail queued/m);
  await outboxDrained();
  expect(query("SELECT id FROM outbox WHERE kind = 'part'")).toHaveLength(4);
  expect(sink.mails).toHaveLength(before);
  expect(mailsTo(readers.frank, /Derde deel/)).toEqual([]);
});

test("a mail client's one-click POST unsubscribes with 200 and no page, urlencoded or multipart", async () => {
  // As a mail client's servers send it: no Origin, no form token, no cookie.
  const urlencoded = await rawPost(onServer(links[readers.anna]!.oneClick), 'List-Unsubscribe=One-Click', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  expect(urlencoded.status).toBe(200);
  expect(urlencoded.body).toBe('');
  const boundary = '----reeks-one-click';
  const multipart = await rawPost(
    onServer(links[readers.carla]!.oneClick),
    [
      `--${boundary}`,
      'Content-Disposition: form-data; name="List-Unsubscribe"',
      '',
      'One-Click',
      `--${boundary}--`,
      '',
    ].join('\r\n'),
    { headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } },
  );
  expect(multipart.status).toBe(200);
  expect(multipart.body).toBe('');
  expect(followers()).toEqual([readers.bram, readers.dirk, readers.frank]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test("a reader unsubscribes with the unsubscribe page's button, and is offered to follow again", async ({
    page,
  }) => {
    await page.goto(onServer(links[readers.dirk]!.unsubscribePage));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Afmelden');
    // Opening the link, as a mail scanner does, changes nothing.
    expect(followers()).toContain(readers.dirk);
    await page.getByRole('button', { name: 'Afmelden voor Testreeks' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Je bent afgemeld');
    expect(followers()).toEqual([readers.bram, readers.frank]);
    const again = page.getByRole('link', { name: 'Volg Testreeks opnieuw' });
    await expect(again).toHaveAttribute('href', '/testreeks/volgen/');
    await again.click();
    await expect(followForm(page).getByRole('textbox', { name: 'E-mailadres' })).toBeVisible();
  });
});

test('the next part mails only the readers who still follow', async () => {
  test.setTimeout(240_000);
  const before = sink.mails.length;
  publish('--date', part4.day);
  await serveCurrent();
  expect(sincePublish()).toMatch(/^New part: part 4 of testreeks, first in release .+\.$/m);
  expect(sincePublish()).toMatch(/^Mail queued for 2 follower\(s\)\.$/m);
  await outboxDrained();
  await expect.poll(() => sink.mails.length, { timeout: 30_000 }).toBe(before + 2);
  await partMails(part4, [readers.bram, readers.frank]);
  for (const address of [readers.anna, readers.carla, readers.dirk, readers.eva])
    expect(mailsTo(address, new RegExp(`: ${part4.title}$`))).toEqual([]);
});
