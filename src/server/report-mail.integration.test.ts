// The report by e-mail and the author's read-only link on the built production server, with a
// real SQLite file, a fixed clock (REEKS_TEST_NOW: Monday 30 November 2026, 10:00 in Amsterdam)
// and a local SMTP sink. The week's mail arrives once per recipient with the seeded figures, and
// not again after a restart in the same week. The author's link shows that author's pages only,
// and is the 404 page when altered, expired or of an older generation.
import { afterEach, describe, expect, it } from 'vitest';
import { partPaths, series } from '../../e2e/fixtures/events.ts';
import { storeMessage } from '../../e2e/fixtures/messages.ts';
import { productionServers, runServerCommand, type RunningServer } from '../../e2e/fixtures/server.ts';
import { startSmtpSink, type SmtpSink } from '../../e2e/fixtures/smtp-sink.ts';
import type { TrackedEvent } from '../lib/events.ts';
import { databaseOf, openDatabase } from './db.ts';
import { recordEvent } from './event-store.ts';

let sink: SmtpSink | undefined;
// Registered before productionServers' own: the servers stop before the sink closes.
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});
const { tempDatabase, serve } = productionServers('report-mail');

const clock = '2026-11-30T09:00:00Z';
const secret = 'een geheim van ruim tweeendertig tekens lang';
const login = { Authorization: `Basic ${Buffer.from('marketing:een lang geheim').toString('base64')}` };
const base = {
  REEKS_SECRET: secret,
  REEKS_TEST_NOW: clock,
  STATS_USER: 'marketing',
  STATS_PASSWORD: 'een lang geheim',
  SITE_URL: 'https://reeks.example.com',
};
const otherPart = '/andere-reeks/een-ander-deel/';

const view = (part: 1 | 2 | 3, source: string | null = null, readOn = false): TrackedEvent => ({
  type: 'pageview',
  path: partPaths[part - 1],
  author: 'job-coenen',
  series,
  part,
  channel: null,
  ...(source && { source: { source, medium: 'referral', campaign: null } }),
  ...(readOn && { readOn: true }),
});

/**
 * The database of a server that ran once (it made the file and recorded the build's pages), with
 * the events of two weeks, a part of another author and one message.
 */
async function seededDatabase(): Promise<string> {
  const dbPath = tempDatabase();
  await (await serve(dbPath, base)).stop();
  const db = openDatabase(dbPath);
  const database = databaseOf(db);
  const times = async (count: number, event: TrackedEvent, day: string) => {
    for (let i = 0; i < count; i++) await recordEvent(database, event, day);
  };
  // The week before: 10 views.
  await times(10, view(1), '2026-11-18');
  // The week of 23 to 29 November: 12 + 3 + 6 + 7 views, 2 + 1 contact clicks.
  await times(12, view(1, 'linkedin.com'), '2026-11-24');
  await times(3, view(1), '2026-11-25');
  await times(4, view(2, 'intern', true), '2026-11-26');
  await times(2, view(2), '2026-11-26');
  await times(2, { ...view(1), type: 'contact_click', channel: 'email' }, '2026-11-27');
  db.prepare(
    `INSERT INTO pages (path, kind, title, author, series, series_title, part, on_site)
     VALUES (?, 'part', 'Een ander deel', 'mira-jansen', 'andere-reeks', 'Andere reeks', 1, 1)`,
  ).run(otherPart);
  await times(
    7,
    {
      type: 'pageview',
      path: otherPart,
      author: 'mira-jansen',
      series: 'andere-reeks',
      part: 1,
      channel: null,
    },
    '2026-11-28',
  );
  await storeMessage(
    database,
    { name: 'Lezer Zichtbaar', email: 'lezer@example.nl', question: 'Een vraag die geheim blijft.' },
    { path: partPaths[0], author: 'job-coenen', series, part: 1 },
    new Date(),
    { clickDay: '2026-11-26' },
  );
  db.close();
  return dbPath;
}

const mailEnv = async () => {
  sink = await startSmtpSink();
  return {
    ...base,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    SMTP_FROM: 'Reeks <noreply@reeks.example.com>',
    REEKS_MAILS_PER_MINUTE: '6000',
    REEKS_REPORT_MAIL: 'weekly',
    REEKS_REPORT_MAIL_TO: 'marketing@gemeente.nl, auteur@gemeente.nl',
  };
};

async function waitForOutput(server: RunningServer, pattern: RegExp, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(server.output())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the server's output:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the weekly report by e-mail', () => {
  it("arrives once per recipient with the week's figures, and not again after a restart", async () => {
    const dbPath = await seededDatabase();
    const env = await mailEnv();
    const server = await serve(dbPath, env);
    const mails = await sink!.waitFor(2, 20_000);
    expect(mails.flatMap((mail) => mail.envelopeTo).sort()).toEqual([
      'auteur@gemeente.nl',
      'marketing@gemeente.nl',
    ]);
    for (const mail of mails) {
      expect(mail.subject).toBe('Weekrapport 23 november 2026 t/m 29 november 2026 (Reeks)');
      const text = mail.text!;
      // 12 + 3 + 6 + 7 views against 10 the week before; 2 e-mail clicks and the message.
      expect(text).toContain('Weergaven: 28 (+180% t.o.v. de week ervoor)');
      expect(text).toContain('Contactklikken: 3 (0 in de week ervoor)');
      expect(text).toContain('Berichten: 1 (0 in de week ervoor)');
      expect(text).toMatch(/- Digitale transformatie, deel 1: [^\n]*: 15 weergaven, 3 contactklikken/);
      expect(text).toContain('- linkedin.com: 12 weergaven');
      expect(text).toContain('deel 1 → 2: 4 van 15 lazen door (26,7%)');
      expect(text).toContain('Er staat 1 bericht van een lezer in het rapport.');
      expect(text).toContain('Het hele rapport (met inloggen): https://reeks.example.com/stats/');
      // Counts only: no message text, no reader's name or address.
      expect(text).not.toMatch(/Zichtbaar|geheim blijft|lezer@example/);
      expect(mail.html).toContain('<h2 style="font-size: 1.2em; margin-top: 1.5em;">Totalen</h2>');
      expect(mail.html).not.toMatch(/<img|utm_/);
    }
    expect(server.output()).toContain(
      'Report mail: the weekly report of 2026-11-23 to 2026-11-29 queued for 2 recipient(s).',
    );
    await server.stop();

    // The same week, started again: the schedule finds the mails queued before.
    const again = await serve(dbPath, env);
    await waitForOutput(again, /the weekly report of 2026-11-23 to 2026-11-29 was queued before, not again/);
    // --mail queues the last complete week under a cause of its own: it is sent by the running
    // server, after which the sink has its two mails and the test's two, not the weekly again.
    const command = await runServerCommand('report-cli.ts', ['--mail'], { ...env, REEKS_DB_PATH: dbPath });
    expect(command.stdout).toContain('is queued for 2 recipient(s)');
    const all = await sink!.waitFor(4, 90_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(all).toHaveLength(4);
    expect(all.slice(2).map((mail) => mail.subject)).toEqual([
      'Testrapport 23 november 2026 t/m 29 november 2026 (Reeks)',
      'Testrapport 23 november 2026 t/m 29 november 2026 (Reeks)',
    ]);
  }, 180_000);
});

describe("the author's read-only link", () => {
  const linkOf = async (dbPath: string, args: string[], env: Record<string, string> = {}) => {
    const command = await runServerCommand('report-cli.ts', ['--link', ...args], {
      ...base,
      REEKS_DB_PATH: dbPath,
      ...env,
    });
    expect(command.stderr).toContain('Works until');
    return new URL(command.stdout.trim());
  };
  const open = (server: RunningServer, link: URL) => fetch(`${server.url}${link.pathname}${link.search}`);

  it("shows that author's figures only, and is the 404 page when altered, expired or revoked", async () => {
    const dbPath = await seededDatabase();
    const server = await serve(dbPath, base);
    expect(server.output()).toContain(
      "Clock: REEKS_TEST_NOW is set, so the report mail's schedule and the authors' links take 2026-11-30T09:00:00.000Z as now. It is for tests only: unset it.",
    );
    const link = await linkOf(dbPath, ['job-coenen']);
    expect(link.origin + link.pathname).toBe('https://reeks.example.com/stats/auteur/');

    const answer = await open(server, link);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    expect(answer.headers.get('x-robots-tag')).toBe('noindex');
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await answer.text();
    expect(html).toContain('Statistieken van Job Coenen');
    // Job's views of the last 30 days (1 to 30 November): 10 + 12 + 3 + 6.
    expect(html).toMatch(/Weergaven<\/dt>\s*<dd[^>]*>31<\/dd>/);
    expect(html).toContain('De impact op het informatiebeleid');
    // Not the other author's part, not the readers' messages, not the sources.
    expect(html).not.toContain('Een ander deel');
    expect(html).not.toMatch(/Zichtbaar|geheim blijft|lezer@example|linkedin\.com/);
    // The full report, behind its login, does have them.
    const full = await (await fetch(`${server.url}/stats/?dagen=30`, { headers: login })).text();
    expect(full).toContain('Een ander deel');

    const mira = await (await open(server, await linkOf(dbPath, ['mira-jansen']))).text();
    expect(mira).toContain('Een ander deel');
    expect(mira).not.toContain('De impact op het informatiebeleid');

    const notFound = async (url: URL) => {
      const refused = await open(server, url);
      expect(refused.status).toBe(404);
      expect(await refused.text()).toContain('<html');
    };
    const token = link.searchParams.get('link')!;
    const [payload, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), a: 'mira-jansen' }),
    ).toString('base64url');
    const altered = new URL(link);
    altered.searchParams.set('link', `${forged}.${signature}`);
    await notFound(altered);
    const cut = new URL(link);
    cut.searchParams.set('link', token.slice(0, -2));
    await notFound(cut);
    await notFound(new URL('https://reeks.example.com/stats/auteur/'));
    // Made two days before the clock, for one day.
    await notFound(
      await linkOf(dbPath, ['job-coenen', '--geldig', '1'], { REEKS_TEST_NOW: '2026-11-28T09:00:00Z' }),
    );
    // Made under a generation that is not the server's.
    await notFound(await linkOf(dbPath, ['job-coenen'], { REEKS_REPORT_LINK_GENERATION: '2' }));
  }, 120_000);

  it('is made in the report area by whoever has the login, with a POST from the site', async () => {
    const dbPath = await seededDatabase();
    const server = await serve(dbPath, base);
    expect((await fetch(`${server.url}/stats/auteurslink/`)).status).toBe(401);
    const page = await (await fetch(`${server.url}/stats/auteurslink/`, { headers: login })).text();
    expect(page).toContain('<option value="job-coenen">Job Coenen</option>');
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${server.url}/stats/auteurslink/`, {
        method: 'POST',
        headers: { ...login, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    const made = await post({ Origin: server.url }, 'auteur=job-coenen&geldig=30');
    expect(made.status).toBe(200);
    const url = /https:\/\/reeks\.example\.com\/stats\/auteur\/\?link=[A-Za-z0-9_.%-]+/.exec(
      await made.text(),
    )![0];
    const shown = await open(server, new URL(url.replaceAll('&amp;', '&')));
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('Statistieken van Job Coenen');
    // From another site, or without the login: no link.
    expect((await post({ Origin: 'https://elders.example' }, 'auteur=job-coenen&geldig=30')).status).toBe(
      403,
    );
    expect(
      (await post({ Origin: server.url, Authorization: '' }, 'auteur=job-coenen&geldig=30')).status,
    ).toBe(401);
    expect((await post({ Origin: server.url }, 'auteur=niemand&geldig=30')).status).toBe(400);
    expect((await post({ Origin: server.url }, 'auteur=job-coenen&geldig=9999')).status).toBe(400);
    expect((await post({ Origin: server.url, 'Content-Type': 'application/json' }, '{}')).status).toBe(415);
  }, 120_000);
});
