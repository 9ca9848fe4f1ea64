// Two `npm start` on two ports with one PostgreSQL database, as a hosting team runs the site
// behind a load balancer: events through both counted once each, a form token used on both
// accepted once, the outbox claimed by both with each mail sent once, and one process restarted
// while the other serves.
import { afterEach, expect, it } from 'vitest';
import { pageView, sendEvent } from '../../e2e/fixtures/events.ts';
import { productionServers, runServerCommand, type RunningServer } from '../../e2e/fixtures/server.ts';
import { startSmtpSink, type SmtpSink } from '../../e2e/fixtures/smtp-sink.ts';
import { messageForm } from '../site.config.ts';
import type { Database } from './database.ts';
import { queueMail } from './outbox.ts';
import { openPostgresDatabase } from './test-databases.ts';
import { describeOnPostgres, freshDatabase, type FreshDatabase } from './test-postgres.ts';

const secret = 'several-processes-secret-'.padEnd(44, 'x');
const part2 = '/digitale-transformatie/kansen-voor-de-dienstverlening/';

describeOnPostgres('two server processes on one PostgreSQL database', () => {
  let sink: SmtpSink | undefined;
  let fresh: FreshDatabase | undefined;
  let database: Database | undefined;
  // Registered before productionServers' own: hooks run in reverse, so the servers stop first.
  afterEach(async () => {
    await database?.close();
    await fresh?.drop();
    await sink?.close();
    [database, fresh, sink] = [undefined, undefined, undefined];
  });
  const { serve, tempDatabase } = productionServers('several');

  const login = { user: 'marketing', password: 'een lang geheim wachtwoord' };

  /**
   * Two servers on one fresh PostgreSQL database, with mail to a sink of their own; `before` runs
   * on the database, its schema made, before either starts.
   */
  async function twoServers({
    mailsPerMinute = 60_000,
    before,
  }: { mailsPerMinute?: number; before?: (db: Database) => Promise<void> } = {}): Promise<
    [RunningServer, RunningServer]
  > {
    fresh = await freshDatabase('several');
    sink = await startSmtpSink();
    database = await openPostgresDatabase(fresh.url, 2);
    await before?.(database);
    const env = {
      STATS_USER: login.user,
      STATS_PASSWORD: login.password,
      REEKS_DATABASE_URL: fresh.url,
      REEKS_SECRET: secret,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      SMTP_FROM: 'Reeks <noreply@reeks.example.com>',
      REEKS_MAILS_PER_MINUTE: String(mailsPerMinute),
      REEKS_EVENTS_PER_MINUTE: '100000',
    };
    // Each with a SQLite path of its own, which neither may use: the stores are all on PostgreSQL.
    const first = await serve(tempDatabase(), env);
    const second = await serve(tempDatabase(), env);
    return [first, second];
  }

  const count = async (query: string) => (await database!.get<{ n: number }>(query))!.n;

  async function until(check: () => Promise<boolean>, what: string, ms = 20_000) {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('says which database it uses in one line, without the password', async () => {
    const [first] = await twoServers();
    const line = first
      .output()
      .split('\n')
      .find((text) => text.startsWith('Database: '));
    expect(line).toMatch(/^Database: PostgreSQL at postgres:\/\/[^:@/]+@127\.0\.0\.1:\d+\/reeks_several_/);
    const { password } = new URL(fresh!.url);
    if (password) expect(first.output()).not.toContain(password);
  }, 90_000);

  it('counts the events through both once each, in the report of either', async () => {
    const [first, second] = await twoServers();
    const sent = await Promise.all([
      ...Array.from({ length: 30 }, () => sendEvent(first, pageView(2))),
      ...Array.from({ length: 20 }, () => sendEvent(second, pageView(2))),
    ]);
    expect(sent.map((response) => response.status)).toEqual(Array(50).fill(201));
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(50);
    // Each server's report counts what went through the other too.
    const authorization = `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}`;
    for (const server of [first, second]) {
      const report = await (
        await fetch(`${server.url}/stats/export.json`, { headers: { authorization } })
      ).json();
      expect(report.totals.views).toBe(50);
    }
    const stats = await runServerCommand('report-cli.ts', ['--dagen', '7'], {
      REEKS_DATABASE_URL: fresh!.url,
      REEKS_SECRET: secret,
    });
    expect(stats.code).toBe(0);
    expect(stats.stdout).toContain('Kansen en impact voor de dienstverlening');
  }, 90_000);

  it('accepts a form token issued by one once, on either: the message is stored once', async () => {
    const [first, second] = await twoServers();
    const html = await (await fetch(`${first.url}${part2}`)).text();
    const token = /name="token" value="([^"]+)"/.exec(html)![1]!;
    await new Promise((resolve) => setTimeout(resolve, messageForm.minFillSeconds * 1000 + 200));
    const post = (server: RunningServer) =>
      fetch(`${server.url}/berichten/`, {
        method: 'POST',
        headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          page: part2,
          name: 'Anna de Vries',
          email: 'anna@gemeente.example.nl',
          question: 'Hoe begin ik?',
          consent: 'ja',
          website: '',
          token,
        }),
        redirect: 'manual',
      });
    // The same form sent to both at once, as a double click through a load balancer would.
    const answers = await Promise.all([post(first), post(second)]);
    expect(answers.map((answer) => answer.status)).toEqual([303, 303]);
    expect(await count('SELECT COUNT(*) AS n FROM messages')).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM used_form_tokens')).toBe(1);
    // And the author's mail about it goes out once.
    await until(async () => sink!.mails.length >= 1, 'the author’s mail');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sink!.mails).toHaveLength(1);
  }, 90_000);

  it('sends each mail of the outbox once while both send', async () => {
    const mails = 200;
    // Queued before either starts, at a pace at which the mails outlast the second's start.
    await twoServers({
      mailsPerMinute: 1200,
      before: (db) =>
        db.transaction(async (tx) => {
          for (let i = 0; i < mails; i++)
            await queueMail(tx, {
              recipient: `lezer-${i}`,
              cause: `test:${i}`,
              kind: 'confirm',
              content: {
                to: `lezer${i}@example.nl`,
                subject: `Bevestig ${i}`,
                text: 'Bevestig je aanmelding.',
              },
            });
        }),
    });
    await until(
      async () => (await count("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'")) === mails,
      'every mail sent',
      60_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const recipients = sink!.mails.map((message) => message.envelopeTo.join(','));
    expect(recipients).toHaveLength(mails);
    expect(new Set(recipients).size).toBe(mails);
    expect(await count("SELECT COUNT(*) AS n FROM outbox WHERE state <> 'sent'")).toBe(0);
    // Both took part: each process claimed some of the rows.
    expect(await count('SELECT COUNT(DISTINCT claimed_by) AS n FROM outbox')).toBe(2);
  }, 120_000);

  it('keeps serving on one while the other restarts', async () => {
    const [first, second] = await twoServers();
    let stopped = false;
    const statuses: number[] = [];
    const loop = (async () => {
      while (!stopped) statuses.push((await sendEvent(second, pageView(1))).status);
    })();
    await first.stop('SIGTERM');
    const again = await serve(tempDatabase(), {
      REEKS_DATABASE_URL: fresh!.url,
      REEKS_SECRET: secret,
      REEKS_EVENTS_PER_MINUTE: '100000',
    });
    expect((await sendEvent(again, pageView(1))).status).toBe(201);
    stopped = true;
    await loop;
    expect(statuses.length).toBeGreaterThan(10);
    expect(new Set(statuses)).toEqual(new Set([201]));
    expect(await count('SELECT COUNT(*) AS n FROM events')).toBe(statuses.length + 1);
  }, 90_000);
});
