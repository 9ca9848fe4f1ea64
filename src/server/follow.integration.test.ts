// Hostile input to "Volg deze reeks per e-mail" on the built production server, with a real
// SQLite file and a local SMTP sink: each is answered with a clear 4xx page, and nothing is stored
// or sent. A header-splitting or too-long address; a forged, altered or expired confirmation
// link; a forged or altered unsubscribe link (which never expires: an old one still works); and
// 50 follow requests for one address, of which one sends a mail.
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { productionServers, rawPost, type RunningServer } from '../../e2e/fixtures/server.ts';
import { startSmtpSink, type SmtpSink } from '../../e2e/fixtures/smtp-sink.ts';
import { messageForm } from '../site.config.ts';
import { addressKey, confirmToken, unsubscribeToken } from './follow-links.ts';
import { deriveKeys, secretFileOf } from './secrets.ts';

const series = 'digitale-transformatie';
const followPage = `/${series}/volgen/`;
const day = 86_400_000;

let sink: SmtpSink | undefined;
// Registered before productionServers' own: hooks run in reverse, so the servers stop (and let
// go of their SMTP connections) before the sink closes.
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});
const { tempDatabase, serve } = productionServers('follow');

/** A server with mail on, sending to a fresh sink. */
async function serveWithMail(dbPath: string, env: Record<string, string> = {}) {
  sink = await startSmtpSink();
  return serve(dbPath, {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    SMTP_FROM: 'Reeks <noreply@reeks.example.com>',
    REEKS_MAILS_PER_MINUTE: '6000',
    ...env,
  });
}

/** Every row of the tables a follow writes: followers, requests, the outbox and the daily counts. */
function stored(dbPath: string) {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    const all = (table: string) => db.prepare(`SELECT * FROM ${table}`).all();
    return {
      followers: all('followers'),
      requests: all('follow_requests'),
      outbox: all('outbox'),
      days: all('follow_days'),
    };
  } finally {
    db.close();
  }
}

const nothingStored = { followers: [], requests: [], outbox: [], days: [] };

/** The keys the server signs with: from the secret it keeps beside its database. */
const keysOf = (dbPath: string) => deriveKeys(readFileSync(secretFileOf(dbPath), 'utf8').trim());

/** The token the follow page carries as this server serves it. */
async function tokenFrom(server: RunningServer): Promise<string> {
  const html = await (await fetch(`${server.url}${followPage}`)).text();
  return /name="token" value="([^"]+)"/.exec(html)![1]!;
}

/** Waits out the minimum fill-in time for tokens served just now, as a person would. */
const readAndType = () =>
  new Promise((resolve) => setTimeout(resolve, messageForm.minFillSeconds * 1000 + 200));

/** The form as a browser without script posts it: same origin, urlencoded, no redirect followed. */
function postFollow(
  server: RunningServer,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.url}/volgen/`, {
    method: 'POST',
    headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ reeks: series, vanaf: followPage, consent: 'ja', website: '', ...fields }),
    redirect: 'manual',
  });
}

const heading = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];

/** Follows and confirms `email` as a reader does; returns the confirmation link's token. */
async function follower(server: RunningServer, email: string) {
  const token = await tokenFrom(server);
  await readAndType();
  expect((await postFollow(server, { email, token })).status).toBe(303);
  const [mail] = await sink!.waitFor(1, 30_000);
  const link = new URL(/https:\/\/\S+\/volgen\/bevestigen\/\?t=\S+/.exec(mail!.text ?? '')![0]);
  const confirmed = await confirmPost(server, link.searchParams.get('t')!);
  expect(heading(await confirmed.text())).toBe('Je volgt nu Digitale transformatie');
  return link.searchParams.get('t')!;
}

/** The confirmation page's button, pressed. */
const confirmPost = (server: RunningServer, token: string) =>
  fetch(`${server.url}/volgen/bevestigen/?t=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ t: token }),
  });

/**
 * A token whose payload names another reader, its signature kept. A confirmation link's payload
 * is encrypted (16 bytes of IV, then `{"e":"anna…` in AES-CTR): flipping the bits that turn "anna"
 * into "bram" still decrypts to valid JSON, so only the signature can catch it.
 */
function altered(token: string): string {
  const [payload, signature] = token.split('.') as [string, string];
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes[0] === '{'.charCodeAt(0)) {
    const data = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    if (typeof data.k === 'string') data.k = `${data.k.slice(0, -1)}${data.k.endsWith('A') ? 'B' : 'A'}`;
    return `${Buffer.from(JSON.stringify(data)).toString('base64url')}.${signature}`;
  }
  const at = 16 + '{"e":"'.length;
  for (const [i, char] of [...'anna'].entries()) bytes[at + i]! ^= char.charCodeAt(0) ^ 'bram'.charCodeAt(i);
  return `${bytes.toString('base64url')}.${signature}`;
}

describe('the follow form against hostile input', () => {
  it('refuses an address with CR or LF, or over 254 characters, with the form again, and stores and sends nothing', async () => {
    const dbPath = tempDatabase();
    const server = await serveWithMail(dbPath);
    const tokens = [await tokenFrom(server), await tokenFrom(server), await tokenFrom(server)];
    await readAndType();
    const cases = [
      ['anna@gemeente.example.nl\r\nBcc: iedereen@example.com', 'tekens die niet in een adres horen'],
      ['anna@gemeente.example.nl\nBcc: iedereen@example.com', 'tekens die niet in een adres horen'],
      [`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(59)}.nl`, 'te lang'],
    ] as const;
    expect(cases[2][0].length).toBe(255);
    for (const [index, [email, error]] of cases.entries()) {
      const response = await postFollow(server, { email, token: tokens[index]! });
      expect(response.status, email).toBe(422);
      const html = await response.text();
      expect(heading(html)).toBe('Controleer je e-mailadres');
      expect(html).toContain(error);
      expect(html).toContain('aria-invalid="true"');
      // What is shown again never holds the line break.
      expect(html).not.toMatch(/value="[^"]*[\r\n]/);
    }
    expect(stored(dbPath)).toEqual(nothingStored);
    expect(sink!.mails).toEqual([]);
  }, 120_000);

  it('50 requests for one address, from 50 clients at once, send one confirmation mail; the others get a clear page', async () => {
    const dbPath = tempDatabase();
    // Behind a proxy that names each client: the per-client limit does not stop them, the per-address one must.
    const server = await serveWithMail(dbPath, { REEKS_TRUSTED_PROXIES: '127.0.0.1' });
    // Fifty forms, each from a page of its own, as fifty readers (or one bot) would load them.
    const tokens: string[] = [];
    for (let i = 0; i < 50; i++) tokens.push(await tokenFrom(server));
    await readAndType();
    const responses = await Promise.all(
      tokens.map((token, index) =>
        postFollow(
          server,
          // The same address in other capitals is the same address.
          { email: index % 2 ? 'Anna@Gemeente.example.nl' : 'anna@gemeente.example.nl', token },
          { 'X-Forwarded-For': `203.0.113.${index + 1}` },
        ),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 303)).toHaveLength(1);
    expect(statuses.filter((status) => status === 429)).toHaveLength(49);
    const refused = responses.find((response) => response.status === 429)!;
    expect(heading(await refused.text())).toBe('Er is al een bevestigingsmail onderweg');

    await sink!.waitFor(1, 30_000);
    const rows = stored(dbPath);
    expect(rows.requests).toHaveLength(1);
    expect(rows.outbox).toHaveLength(1);
    expect(rows.followers).toEqual([]);
    expect(rows.days).toMatchObject([{ series, requested: 1 }]);
    // Nothing more is on its way.
    await expect.poll(() => stored(dbPath).outbox, { timeout: 30_000 }).toMatchObject([{ state: 'sent' }]);
    expect(sink!.mails).toHaveLength(1);
    // Whichever request came first: its address as typed, in whatever capitals.
    expect(sink!.mails[0]!.envelopeTo.map((address) => address.toLowerCase())).toEqual([
      'anna@gemeente.example.nl',
    ]);
  }, 120_000);
});

describe('bots and bursts', () => {
  it('answers a filled-in honeypot and a too-fast form as sent, and stores and sends nothing', async () => {
    const dbPath = tempDatabase();
    const server = await serveWithMail(dbPath);
    const tooFast = await postFollow(server, {
      email: 'anna@gemeente.example.nl',
      token: await tokenFrom(server),
    });
    expect(tooFast.status).toBe(303);
    const token = await tokenFrom(server);
    await readAndType();
    const honeypot = await postFollow(server, {
      email: 'bram@gemeente.example.nl',
      website: 'https://spam.example',
      token,
    });
    expect(honeypot.status).toBe(303);
    expect(honeypot.headers.get('location')).toBe(tooFast.headers.get('location'));
    expect(stored(dbPath)).toEqual(nothingStored);
    expect(sink!.mails).toEqual([]);
  }, 120_000);

  it('gives a burst from one client 429 with the form kept, past the limit per client', async () => {
    const dbPath = tempDatabase();
    const server = await serveWithMail(dbPath, { REEKS_MESSAGES_PER_HOUR: '2' });
    const tokens = [await tokenFrom(server), await tokenFrom(server), await tokenFrom(server)];
    await readAndType();
    const statuses = [];
    for (const [index, token] of tokens.entries())
      statuses.push((await postFollow(server, { email: `lezer${index}@gemeente.example.nl`, token })).status);
    expect(statuses).toEqual([303, 303, 429]);
    const limited = await postFollow(server, { email: 'lezer9@gemeente.example.nl', token: tokens[2]! });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    const html = await limited.text();
    expect(heading(html)).toBe('Te veel aanvragen');
    expect(html).toContain('value="lezer9@gemeente.example.nl"');
    await sink!.waitFor(2, 30_000);
    expect(stored(dbPath).requests).toHaveLength(2);
  }, 120_000);
});

describe('odd requests to the follow routes', () => {
  it('are answered with a 4xx, never a 500, and store nothing', async () => {
    const dbPath = tempDatabase();
    const server = await serveWithMail(dbPath);
    const token = await tokenFrom(server);
    await readAndType();
    const form = (fields: Record<string, string>) =>
      new URLSearchParams({ reeks: series, vanaf: followPage, consent: 'ja', token, ...fields }).toString();
    const urlencoded = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const cases: [string, string, RequestInit, number][] = [
      ['the follow form opened', '/volgen/', {}, 405],
      ['the form as text', '/volgen/', { method: 'POST', body: form({ email: 'a@b.nl' }) }, 415],
      [
        'the form as multipart',
        '/volgen/',
        {
          method: 'POST',
          body: (() => {
            const data = new FormData();
            data.set('email', 'a@b.nl');
            return data;
          })(),
        },
        415,
      ],
      [
        'a form too large',
        '/volgen/',
        { method: 'POST', headers: urlencoded, body: form({ email: 'a@b.nl', extra: 'x'.repeat(5000) }) },
        413,
      ],
      [
        'a series that is not one',
        '/volgen/',
        { method: 'POST', headers: urlencoded, body: form({ email: 'a@b.nl', reeks: 'bestaat-niet' }) },
        400,
      ],
      ['a confirmation without a link', '/volgen/bevestigen/', {}, 400],
      [
        'a confirmation button without a link',
        '/volgen/bevestigen/',
        { method: 'POST', headers: urlencoded, body: '' },
        400,
      ],
      ['a NUL in a link', '/volgen/bevestigen/?t=%00', {}, 400],
      ['a link twice', `/volgen/afmelden/?t=a.b&t=c.d`, {}, 400],
      ['a one-click opened', '/volgen/afmelden/een-klik/?t=a.b', {}, 405],
      [
        'a one-click without a link',
        '/volgen/afmelden/een-klik/',
        { method: 'POST', headers: urlencoded, body: 'List-Unsubscribe=One-Click' },
        400,
      ],
      [
        'a one-click as text',
        '/volgen/afmelden/een-klik/?t=a.b',
        { method: 'POST', body: 'List-Unsubscribe=One-Click' },
        400,
      ],
    ];
    for (const [name, path, init, status] of cases) {
      const response = await fetch(`${server.url}${path}`, {
        ...init,
        headers: { Origin: server.url, ...(init.headers as Record<string, string>) },
      });
      expect(response.status, name).toBe(status);
    }
    expect(stored(dbPath)).toEqual(nothingStored);
    expect(sink!.mails).toEqual([]);
    expect(server.output()).not.toMatch(/Could not answer|Unexpected error/);
  }, 120_000);
});

describe('confirmation links against hostile input', () => {
  it('refuses a forged, an altered and an expired link, on opening and on the button, and makes no follower', async () => {
    const dbPath = tempDatabase();
    const server = await serveWithMail(dbPath);
    const keys = keysOf(dbPath);
    const request = { email: 'anna@gemeente.example.nl', series, from: followPage };
    const forged = `${Buffer.from(JSON.stringify({ e: request.email, s: series, f: followPage, t: Date.now() })).toString('base64url')}.${'A'.repeat(43)}`;
    const valid = confirmToken(keys, { ...request, requestedAt: Date.now() });
    const expired = confirmToken(keys, { ...request, requestedAt: Date.now() - 8 * day });
    const cases = [
      ['forged', forged, 400, 'Deze bevestigingslink is niet geldig'],
      ['altered', altered(valid), 400, 'Deze bevestigingslink is niet geldig'],
      ['not a token', 'x'.repeat(5000), 400, 'Deze bevestigingslink is niet geldig'],
      ['expired', expired, 410, 'Deze bevestigingslink is verlopen'],
    ] as const;
    for (const [name, token, status, title] of cases) {
      const opened = await fetch(`${server.url}/volgen/bevestigen/?t=${encodeURIComponent(token)}`);
      expect(opened.status, name).toBe(status);
      const html = await opened.text();
      expect(heading(html), name).toBe(title);
      expect(html, name).not.toContain('Ja, ik volg');
      const posted = await confirmPost(server, token);
      expect(posted.status, name).toBe(status);
      expect(heading(await posted.text()), name).toBe(title);
    }
    expect(stored(dbPath)).toEqual(nothingStored);

    // Just inside its 7 days, the same kind of link still confirms.
    const lastDay = confirmToken(keys, { ...request, requestedAt: Date.now() - 6.9 * day });
    expect((await confirmPost(server, lastDay)).status).toBe(200);
    expect(stored(dbPath).followers).toMatchObject([{ email: request.email, series }]);
  }, 120_000);
});

describe('unsubscribe links against hostile input', () => {
  it('refuses a forged or altered link on the page, its button and one-click, and unsubscribes nobody', async () => {
    const dbPath = tempDatabase();
    const server = await serveWithMail(dbPath);
    await follower(server, 'anna@gemeente.example.nl');
    const keys = keysOf(dbPath);
    const valid = unsubscribeToken(keys, {
      addressKey: addressKey(keys, 'anna@gemeente.example.nl'),
      series,
    });
    const forged = `${Buffer.from(JSON.stringify({ k: addressKey(keys, 'anna@gemeente.example.nl'), s: series })).toString('base64url')}.${'A'.repeat(43)}`;
    const before = stored(dbPath);
    expect(before.followers).toHaveLength(1);
    for (const [name, token] of [
      ['forged', forged],
      ['altered', altered(valid)],
      ['empty', ''],
    ] as const) {
      const url = `${server.url}/volgen/afmelden/?t=${encodeURIComponent(token)}`;
      const opened = await fetch(url);
      expect(opened.status, name).toBe(400);
      expect(heading(await opened.text()), name).toBe('Deze afmeldlink is niet geldig');
      const button = await fetch(url, {
        method: 'POST',
        headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ scope: 'alle' }),
      });
      expect(button.status, name).toBe(400);
      expect(heading(await button.text()), name).toBe('Deze afmeldlink is niet geldig');
      const oneClick = await rawPost(
        `${server.url}/volgen/afmelden/een-klik/?t=${encodeURIComponent(token)}`,
        'List-Unsubscribe=One-Click',
        { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
      );
      expect(oneClick.status, name).toBe(400);
      expect(oneClick.body, name).toBe('Deze afmeldlink is niet geldig.\n');
    }
    expect(stored(dbPath)).toEqual(before);
  }, 120_000);

  it('an unsubscribe link from long ago, made by an earlier process, still works', async () => {
    const dbPath = tempDatabase();
    const first = await serveWithMail(dbPath);
    await follower(first, 'anna@gemeente.example.nl');
    // The link of a mail sent by the first process (unsubscribe links carry no time: they never expire).
    const keys = keysOf(dbPath);
    const old = unsubscribeToken(keys, { addressKey: addressKey(keys, 'anna@gemeente.example.nl'), series });
    await first.stop();
    const later = await serve(dbPath);
    const oneClick = await rawPost(
      `${later.url}/volgen/afmelden/een-klik/?t=${encodeURIComponent(old)}`,
      'List-Unsubscribe=One-Click',
      { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
    );
    expect(oneClick.status).toBe(200);
    expect(stored(dbPath).followers).toEqual([]);
    // Its page's button, pressed again afterwards, says so and offers to follow again.
    const again = await fetch(`${later.url}/volgen/afmelden/?t=${encodeURIComponent(old)}`, {
      method: 'POST',
      headers: { Origin: later.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ scope: 'reeks' }),
    });
    expect(again.status).toBe(200);
    const html = await again.text();
    expect(heading(html)).toBe('Je was al afgemeld');
    expect(html).toContain(`<a href="${followPage}">Volg Digitale transformatie opnieuw</a>`);
  }, 120_000);
});
