// The message form's route on the built production server, started as `npm start` starts it,
// with a real SQLite file in a temporary folder and, for the e-mail, a local SMTP server.
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite } from '../../e2e/fixtures/build.ts';
import { productionServers, rawPost, startServer, type RunningServer } from '../../e2e/fixtures/server.ts';
import { startSmtpSink, type SmtpSink } from '../../e2e/fixtures/smtp-sink.ts';
import { messageForm } from '../site.config.ts';
import { openDatabase } from './db.ts';
import { formTokenPlaceholder } from '../lib/message-form.ts';
import { storeMessage } from '../../e2e/fixtures/messages.ts';

const part2 = {
  path: '/digitale-transformatie/kansen-voor-de-dienstverlening/',
  title: 'Kansen en impact voor de dienstverlening',
};
const form = {
  name: 'Anna de Vries',
  email: 'anna@gemeente.example.nl',
  question: 'Hoe begin ik met een informatievisie?',
  consent: 'ja',
  website: '',
};

let sink: SmtpSink | undefined;
// Registered before productionServers' own: hooks run in reverse, so the servers stop (and let
// go of their pooled SMTP connections) before the sink closes.
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});
const { tempDatabase, serve } = productionServers('messages');

function stored(dbPath: string, table: 'messages' | 'events') {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return db.prepare(`SELECT * FROM ${table} ORDER BY id`).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** The token the part page carries as this server serves it. */
async function tokenFrom(server: RunningServer, path = part2.path): Promise<string> {
  const html = await (await fetch(`${server.url}${path}`)).text();
  return /name="token" value="([^"]+)"/.exec(html)![1]!;
}

/** Waits out the minimum fill-in time for a token served just now, as a person would. */
const readAndType = () =>
  new Promise((resolve) => setTimeout(resolve, messageForm.minFillSeconds * 1000 + 200));

/** The form as a browser without script posts it: same origin, urlencoded, no redirect followed. */
function postForm(
  server: RunningServer,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.url}/berichten/`, {
    method: 'POST',
    headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ page: part2.path, ...fields }),
    redirect: 'manual',
  });
}

describe('the message form on the production server', () => {
  it('serves each part with a fresh signed token in its form, never cached as it stands', async () => {
    const server = await serve(tempDatabase());
    const response = await fetch(`${server.url}${part2.path}`);
    expect(response.headers.get('etag')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    expect(html).not.toContain(formTokenPlaceholder);
    const first = /name="token" value="([^"]+)"/.exec(html)![1]!;
    const second = await tokenFrom(server);
    expect(second).not.toBe(first);
    // Pages without the form keep their validators.
    expect((await fetch(`${server.url}/`)).headers.get('etag')).not.toBeNull();
  }, 60_000);

  it('stores a message sent without script with its part, series and author, counts the click, and thanks the reader', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath);
    const token = await tokenFrom(server);
    await readAndType();
    const response = await postForm(server, { ...form, token });
    expect(response.status).toBe(303);
    const thanksUrl = response.headers.get('location')!;
    expect(thanksUrl).toBe(`/berichten/bedankt/?pagina=${encodeURIComponent(part2.path)}`);

    expect(stored(dbPath, 'messages')).toEqual([
      {
        id: 1,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        path: part2.path,
        author: 'job-coenen',
        series: 'digitale-transformatie',
        part: 2,
        name: form.name,
        email: form.email,
        question: form.question,
      },
    ]);
    expect(stored(dbPath, 'events')).toMatchObject([
      { type: 'contact_click', channel: 'message', path: part2.path, part: 2 },
    ]);

    const thanks = await fetch(`${server.url}${thanksUrl}`);
    const html = await thanks.text();
    expect(html).toContain('<h1 class="text-3xl font-bold tracking-tight">Bedankt voor je bericht</h1>');
    expect(html).toContain(
      `<a href="${part2.path}">Terug naar Digitale transformatie, deel 2: ${part2.title}</a>`,
    );
    // An address that is not a part is never linked to.
    expect(
      await (await fetch(`${server.url}/berichten/bedankt/?pagina=https%3A%2F%2Fevil.example%2F`)).text(),
    ).not.toContain('evil.example');
  }, 60_000);

  it('answers a filled-in honeypot and a too-fast form as a success, and stores nothing', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath);
    const tooFast = await postForm(server, { ...form, token: await tokenFrom(server) });
    expect(tooFast.status).toBe(303);
    const token = await tokenFrom(server);
    await readAndType();
    const honeypot = await postForm(server, { ...form, website: 'https://spam.example', token });
    expect(honeypot.status).toBe(303);
    expect(honeypot.headers.get('location')).toBe(tooFast.headers.get('location'));
    expect(stored(dbPath, 'messages')).toEqual([]);
    expect(stored(dbPath, 'events')).toEqual([]);
  }, 60_000);

  it('gives a burst from one client 429, with the form and the input kept', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, { REEKS_MESSAGES_PER_HOUR: '3' });
    // Six forms, each from a page of its own: every token is accepted once.
    const tokens = [];
    for (let i = 0; i < 6; i++) tokens.push(await tokenFrom(server));
    await readAndType();
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await postForm(server, { ...form, question: `Vraag ${i}`, token: tokens[i]! })).status);
    expect(statuses).toEqual([303, 303, 303, 429, 429]);
    expect(stored(dbPath, 'messages')).toHaveLength(3);

    const limited = await postForm(server, { ...form, question: 'Mijn lange vraag', token: tokens[5]! });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await limited.text();
    expect(html).toMatch(
      /Je hebt in korte tijd veel berichten verstuurd\. Probeer het over \d+ minu(ut|ten) opnieuw\./,
    );
    expect(html).toContain('>Mijn lange vraag</textarea>');
  }, 60_000);

  it('refuses hostile requests with the right 4xx, stores nothing, and keeps serving', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, { REEKS_MESSAGES_PER_HOUR: '1000' });
    const endpoint = `${server.url}/berichten/`;
    const urlencoded = { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' };
    const body = new URLSearchParams({ page: part2.path, ...form }).toString();
    const cases: [string, () => ReturnType<typeof rawPost>, number][] = [
      [
        'a form from another site',
        () => rawPost(endpoint, body, { headers: { ...urlencoded, Origin: 'https://evil.example' } }),
        403,
      ],
      [
        'JSON',
        () => rawPost(endpoint, JSON.stringify(form), { headers: { 'Content-Type': 'application/json' } }),
        415,
      ],
      [
        'multipart',
        () =>
          rawPost(endpoint, body, {
            headers: { ...urlencoded, 'Content-Type': 'multipart/form-data; boundary=x' },
          }),
        415,
      ],
      [
        'a 100 KB form without Content-Length',
        () => rawPost(endpoint, `${body}&x=${'a'.repeat(100_000)}`, { headers: urlencoded, chunked: true }),
        413,
      ],
      [
        'invalid UTF-8',
        () => rawPost(endpoint, Buffer.from([0x6e, 0x3d, 0xff]), { headers: urlencoded }),
        400,
      ],
      [
        'a page that is not a part',
        () =>
          rawPost(endpoint, new URLSearchParams({ ...form, page: '/stats/' }).toString(), {
            headers: urlencoded,
          }),
        400,
      ],
      [
        'SQL in the page',
        () =>
          rawPost(
            endpoint,
            new URLSearchParams({ ...form, page: "/'; DROP TABLE messages; --" }).toString(),
            { headers: urlencoded },
          ),
        400,
      ],
    ];
    for (const [name, request, status] of cases) {
      const response = await request();
      expect.soft(response.status, name).toBe(status);
      expect.soft(response.body, name).not.toMatch(/DROP TABLE|<script/);
    }
    expect((await fetch(endpoint)).status).toBe(405);
    expect(stored(dbPath, 'messages')).toEqual([]);
    expect((await fetch(`${server.url}${part2.path}`)).status).toBe(200);
  }, 60_000);

  it('shows HTML in a message as text in the report', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, { STATS_USER: 'marketing', STATS_PASSWORD: 'een lang geheim' });
    const token = await tokenFrom(server);
    await readAndType();
    const question = '<script>alert("x")</script><b>vet</b> & <img src=x onerror=alert(1)>';
    expect((await postForm(server, { ...form, name: '<i>Anna</i>', question, token })).status).toBe(303);
    const report = await fetch(`${server.url}/stats/`, {
      headers: { Authorization: `Basic ${Buffer.from('marketing:een lang geheim').toString('base64')}` },
    });
    const html = await report.text();
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(html).toContain('&lt;i&gt;Anna&lt;/i&gt;');
    expect(html).not.toMatch(/<script>alert|<b>vet|<img src=x|<i>Anna/);
  }, 60_000);
});

describe('messages in the report', () => {
  it('shows the newest 50 at a time, with links to the newer and older ones', async () => {
    const dbPath = tempDatabase();
    const db = openDatabase(dbPath);
    const origin = { path: part2.path, author: 'job-coenen', series: 'digitale-transformatie', part: 2 };
    const start = Date.now() - 120 * 60_000;
    for (let i = 1; i <= 120; i++)
      await storeMessage(
        db,
        { ...form, question: `Vraag nummer ${i}.` },
        origin,
        new Date(start + i * 60_000),
      );
    db.close();
    const server = await serve(dbPath, { STATS_USER: 'marketing', STATS_PASSWORD: 'een lang geheim' });
    const page = async (query: string) => {
      const response = await fetch(`${server.url}/stats/${query}`, {
        headers: { Authorization: `Basic ${Buffer.from('marketing:een lang geheim').toString('base64')}` },
      });
      expect(response.status).toBe(200);
      const html = await response.text();
      return {
        html,
        questions: [...html.matchAll(/Vraag nummer (\d+)\./g)].map((match) => Number(match[1])),
      };
    };

    const first = await page('');
    expect(first.questions).toEqual(Array.from({ length: 50 }, (_, i) => 120 - i));
    expect(first.html).toContain('Pagina 1 van 3: berichten 1 tot en met 50 van 120.');
    expect(first.html).toContain(
      'href="/stats/?dagen=30&amp;berichten=2#berichten" rel="next">Oudere berichten',
    );
    expect(first.html).not.toContain('Nieuwere berichten');

    const last = await page('?berichten=3');
    expect(last.questions).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
    expect(last.html).toContain('rel="prev">Nieuwere berichten');
    expect(last.html).not.toContain('Oudere berichten');
    // A page past the last, or no number at all, shows the nearest one that exists.
    expect((await page('?berichten=99')).questions).toEqual(last.questions);
    expect((await page('?berichten=x')).questions).toEqual(first.questions);
  }, 60_000);
});

describe('e-mail to the author', () => {
  it('reaches the mail server with the reader to reply to, the part in the subject and the question in the body', async () => {
    sink = await startSmtpSink({ user: 'reeks', password: 'smtp-geheim' });
    const dbPath = tempDatabase();
    const server = await serve(dbPath, {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      SMTP_USER: 'reeks',
      SMTP_PASSWORD: 'smtp-geheim',
      SMTP_FROM: 'Reeks <noreply@reeks.example.com>',
    });
    expect(server.output()).toContain(`E-mail to authors: on, through 127.0.0.1:${sink.port}.`);
    const token = await tokenFrom(server);
    await readAndType();
    expect((await postForm(server, { ...form, token })).status).toBe(303);

    const [mail] = await sink.waitFor(1);
    expect(mail!.envelopeTo).toEqual(['job.coenen@example.com']);
    expect(mail!.to).toMatchObject({ value: [{ name: 'Job Coenen', address: 'job.coenen@example.com' }] });
    expect(mail!.from).toMatchObject({ value: [{ name: 'Reeks', address: 'noreply@reeks.example.com' }] });
    expect(mail!.replyTo).toMatchObject({ value: [{ name: form.name, address: form.email }] });
    expect(mail!.subject).toBe(`Vraag over: ${part2.title}`);
    expect(mail!.text).toContain('Hallo Job,');
    expect(mail!.text).toContain(
      `${form.name} (${form.email}) liet een bericht voor je achter onder "${part2.title}" (Digitale transformatie, deel 2):`,
    );
    expect(mail!.text).toContain(form.question);
    expect(mail!.text).toContain('https://reeks.example.com/stats/');
  }, 60_000);

  it('with two workers, mails each author at once, whichever worker took the message', async () => {
    sink = await startSmtpSink();
    const server = await serve(tempDatabase(), {
      REEKS_WORKERS: '2',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      SMTP_FROM: 'Reeks <noreply@reeks.example.com>',
    });
    const tokens = [];
    for (let i = 0; i < 4; i++) tokens.push(await tokenFrom(server));
    await readAndType();
    // One after the other, each on a connection of its own: the primary hands them to the two
    // workers in turn, and only one runs the outbox (src/server/workers.ts). The other has it
    // woken through the primary: each mail arrives at once, not at the outbox's next look at its
    // queue, a minute later.
    for (const [i, token] of tokens.entries()) {
      const posted = await rawPost(
        `${server.url}/berichten/`,
        new URLSearchParams({ page: part2.path, ...form, question: `Vraag ${i}`, token }).toString(),
        {
          headers: {
            Origin: server.url,
            'Content-Type': 'application/x-www-form-urlencoded',
            Connection: 'close',
          },
        },
      );
      expect(posted.status).toBe(303);
      const mails = await sink.waitFor(i + 1, 5_000);
      expect(mails[i]!.text).toContain(`Vraag ${i}`);
    }
  }, 60_000);

  it('never holds up or fails the reader when the mail server is down: the message is stored, its mail kept to try again, the failure logged without an address', async () => {
    const down = await startSmtpSink();
    const port = down.port;
    await down.close();
    const dbPath = tempDatabase();
    const server = await serve(dbPath, {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(port),
      SMTP_FROM: 'noreply@reeks.example.com',
    });
    const token = await tokenFrom(server);
    await readAndType();
    expect((await postForm(server, { ...form, token })).status).toBe(303);
    expect(stored(dbPath, 'messages')).toHaveLength(1);
    // The author's mail waits in the outbox (src/server/outbox.ts), so neither this nor a restart loses it.
    await expect
      .poll(() => server.output())
      .toMatch(/^Could not send a mail \(message, try 1\): .*ECONNREFUSED.*; trying again in \d+ s\.$/m);
    expect(server.output()).not.toContain('@');
    const db = new DatabaseSync(dbPath, { readOnly: true });
    try {
      expect(db.prepare('SELECT kind, state, attempts FROM outbox').all()).toEqual([
        { kind: 'message', state: 'pending', attempts: 1 },
      ]);
    } finally {
      db.close();
    }
    // Still serving.
    expect((await fetch(`${server.url}${part2.path}`)).status).toBe(200);
  }, 60_000);

  it('stops npm start with what to change when the settings do not add up', async () => {
    await expect(serve(tempDatabase(), { SMTP_HOST: 'mail.example.com' })).rejects.toThrow(
      /\nSMTP_HOST is set but SMTP_FROM is not: set SMTP_FROM/,
    );
  }, 60_000);

  it('is off without SMTP_HOST, and npm start says how to turn it on', async () => {
    const server = await serve(tempDatabase());
    expect(server.output()).toContain('E-mail to authors: off');
    expect(server.output()).toContain('SMTP_HOST and SMTP_FROM');
  }, 60_000);
});

describe('retention', () => {
  it('deletes messages past the configured number of days when the server starts, and keeps the rest', async () => {
    const dbPath = tempDatabase();
    const db = openDatabase(dbPath);
    const origin = { path: part2.path, author: 'job-coenen', series: 'digitale-transformatie', part: 2 };
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    await storeMessage(db, { ...form, question: 'oud' }, origin, daysAgo(31));
    await storeMessage(db, { ...form, question: 'recent' }, origin, daysAgo(29));
    db.close();

    // The privacy page states the retention of the build, and the server must apply that one.
    const build = buildSite('content', undefined, 'pipe', { env: { REEKS_MESSAGE_RETENTION_DAYS: '30' } });
    expect(build.status, build.output).toBe(0);
    expect(readFileSync(join(build.outDir, 'client', 'privacy', 'index.html'), 'utf8')).toMatch(
      /Hoe lang:<\/strong>\s*30 dagen\./,
    );
    const server = await startServer(build.outDir, {
      REEKS_DB_PATH: dbPath,
      REEKS_MESSAGE_RETENTION_DAYS: '30',
    });
    await server.stop();
    expect(server.output()).toContain('Messages: kept 30 days');
    expect(server.output()).toContain('Deleted 1 message(s) older than 30 days.');
    expect(stored(dbPath, 'messages').map((row) => row.question)).toEqual(['recent']);
  }, 60_000);
});
