// The report on the production server when its input is hostile: a flood of made-up sources, a
// day that brings more new sources than the cap, and forged read-on and clicks. The report stays
// small, names what it summed as "overige", and shows no ratio above 100% without saying so.
import { DomUtils, parseDocument } from 'htmlparser2';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { productionServers, runServerCommand, type RunningServer } from '../../e2e/fixtures/server.ts';
import { pageView, partPaths, sendEvent, series } from '../../e2e/fixtures/events.ts';
import { dayOf } from '../lib/period.ts';
import { site, tracking } from '../site.config.ts';
import { openDatabase } from './db.ts';

const { tempDatabase, serve } = productionServers('report-bounds');
const env = { REEKS_EVENTS_PER_MINUTE: '100000', STATS_USER: 'marketing', STATS_PASSWORD: 'een lang geheim' };
const login = { Authorization: `Basic ${Buffer.from('marketing:een lang geheim').toString('base64')}` };
const get = (server: RunningServer, path: string) => fetch(`${server.url}${path}`, { headers: login });

/** Every percentage the text shows, as a number: "33,3%" is 33.3. */
const percentages = (text: string) =>
  [...text.matchAll(/(\d+(?:\.\d{3})*,\d)%/g)].map((match) =>
    Number(match[1]!.replace(/\./g, '').replace(',', '.')),
  );

/** The rows of the report's table with this class, each as its cells' text joined by spaces. */
const tableRows = (html: string) => {
  const document = parseDocument(html);
  return (className: string) => {
    const table = DomUtils.findOne(
      (node) => node.attribs.class?.split(' ').includes(className) ?? false,
      document.children,
    )!;
    return DomUtils.findAll((node) => node.name === 'tr', table.children).map((row) =>
      DomUtils.findAll((node) => node.name === 'th' || node.name === 'td', row.children)
        .map((cell) => DomUtils.textContent(cell).trim())
        .join(' '),
    );
  };
};

/**
 * Follows of the series stored as the follow routes and the outbox store them, while `server`
 * runs (its start recorded the release, so part 2's publication exists): `followers` addresses,
 * the first `failing` of them failing, each from a page of its own that the site does not have
 * except the last `fromPart1`, and part 2 mailed to them in every state.
 */
function storeFollows(
  dbPath: string,
  {
    followers,
    failing,
    fromPart1,
    mails,
  }: { followers: number; failing: number; fromPart1: number; mails: Record<string, number> },
) {
  const db = openDatabase(dbPath);
  const now = new Date().toISOString();
  db.exec('BEGIN');
  const follower = db.prepare(
    'INSERT INTO followers (address_key, email, series, confirmed_at, source_path, failing_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (let i = 0; i < followers; i++)
    follower.run(
      `sleutel-${i}`,
      `lezer${i}@example.nl`,
      series,
      now,
      i >= followers - fromPart1 ? partPaths[0]! : `/verzonnen-${i}/`,
      i < failing ? now : null,
    );
  db.prepare(
    'INSERT INTO follow_days (day, series, requested, confirmed, unsubscribed) VALUES (?, ?, ?, ?, ?)',
  ).run(dayOf(new Date(), site.timeZone), series, Math.round(followers * 1.2), followers, 12);
  db.prepare('UPDATE publications SET mailed = 1 WHERE series = ? AND part = 2').run(series);
  const mail = db.prepare(
    `INSERT INTO outbox (recipient, cause, kind, priority, series, part, state, next_try_at, created_at)
     VALUES (?, ?, 'part', 2, ?, 2, ?, ?, ?)`,
  );
  let index = 0;
  for (const [state, count] of Object.entries(mails))
    for (let i = 0; i < count; i++)
      mail.run(`sleutel-${index++}`, `part:${series}:2`, series, state, now, now);
  db.exec('COMMIT');
  db.close();
}

describe('the report with hostile input', () => {
  it('stays small at 20,000 made-up sources: the 50 most viewed, then "overige", on the page and in the exports', async () => {
    const dbPath = tempDatabase();
    // Stored as if they came before the daily cap of new sources, which the next test checks.
    const db = openDatabase(dbPath);
    const insert = db.prepare(
      `INSERT INTO events (day, type, path, author, series, part, source, campaign) VALUES (?, 'pageview', ?, 'job-coenen', ?, 1, ?, ?)`,
    );
    const today = dayOf(new Date(), site.timeZone);
    db.exec('BEGIN');
    for (let i = 0; i < 20_000; i++) insert.run(today, partPaths[0]!, series, `bron-${i}`, `campagne-${i}`);
    // The most viewed source, seen above the flood.
    for (let i = 0; i < 5; i++) insert.run(today, partPaths[0]!, series, 'nieuwsbrief', null);
    db.exec('COMMIT');
    db.close();
    const server = await serve(dbPath, env);

    const page = await get(server, '/stats/');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html.length).toBeLessThan(200_000);
    const rowsOf = tableRows(html);
    const sources = rowsOf('stats-per-bron');
    // A header, the 50 most viewed sources, and the rest.
    expect(sources).toHaveLength(52);
    expect(sources[1]).toMatch(/^nieuwsbrief 5 /);
    expect(sources[51]).toMatch(/^overige \(19\.951 bronnen\) 19\.951 /);
    expect(rowsOf('stats-per-campagne').at(-1)).toMatch(/^overige \(19\.950 campagnes\) 19\.950 /);

    const csv = await (await get(server, '/stats/export.csv')).text();
    expect(csv.length).toBeLessThan(50_000);
    expect(csv).toContain('\r\noverige (19.951 bronnen);19951;0;0;0,0%\r\n');
    const json = await (await get(server, '/stats/export.json')).json();
    expect(json.sources).toHaveLength(51);
    expect(json.sources.at(-1)).toEqual({
      source: 'overige',
      medium: null,
      campaign: null,
      views: 19_951,
      contactViews: 0,
      contactClicks: 0,
    });
  }, 60_000);

  it('reads every caption of the report as words a screen reader can say', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, env);
    await sendEvent(server, pageView(1));
    storeFollows(dbPath, { followers: 1, failing: 0, fromPart1: 1, mails: { sent: 1 } });
    const html = await (await get(server, '/stats/')).text();
    const document = parseDocument(html);
    const tables = DomUtils.findAll((node) => node.name === 'table', document.children);
    const captions = tables.map((table) => {
      const caption = DomUtils.findOne((node) => node.name === 'caption', table.children);
      return caption ? DomUtils.textContent(caption).replace(/\s+/g, ' ').trim() : '';
    });
    expect(captions).toEqual([
      'Weergaven, uitnodiging gezien en contactklikken per pagina',
      'Contactklikken en klikratio per kanaal',
      'Weergaven, uitnodiging gezien en contactklikken per bron',
      'Doorlezen, contact en volgen in Digitale transformatie, per deel',
      'Leesdiepte van Digitale transformatie, deel 1: De impact op het informatiebeleid: weergaven, secties, einde, uitnodiging en contact',
      'Weergaven met leesdiepte per deel, verdeeld naar actieve leestijd',
      'Volgers, aanvragen, bevestigingen en afmeldingen per reeks',
      'Mails aan volgers per deel: verstuurd, mislukt, onzeker en wachtend',
      'Weergaven en contactklikken per dag',
    ]);
  });

  it('counts 3,000 followers from made-up pages in a few rows, failing addresses as a number, and shows no address', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, env);
    storeFollows(dbPath, {
      followers: 3000,
      failing: 7,
      fromPart1: 10,
      mails: { sent: 2000, failed: 5, 'in-doubt': 1, pending: 993, sending: 1 },
    });

    const html = await (await get(server, '/stats/')).text();
    expect(html.length).toBeLessThan(200_000);
    const rowsOf = tableRows(html);
    expect(rowsOf('stats-volgen')).toEqual([
      'Reeks Volgers nu Aanvragen Bevestigd Bevestigd per aanvraag Afgemeld Adressen die mislukken',
      'Digitale transformatie 3.000 3.600 3.000 83,3% 12 7',
    ]);
    expect(rowsOf('stats-mails-per-deel')).toEqual([
      'Deel Verstuurd Mislukt Onzeker Wachtend',
      expect.stringMatching(/^Digitale transformatie, deel 2: .+ 2\.000 5 1 994$/),
    ]);
    // The funnel: part 1's form brought the 10 follows from a page of the site; the made-up pages none.
    expect(rowsOf('stats-reeks-0')[1]).toMatch(/ 10$/);
    expect(html).not.toContain('verzonnen');

    const csv = await (await get(server, '/stats/export.csv')).text();
    expect(csv).toContain('\r\nDigitale transformatie;3000;3600;3000;83,3%;12;7\r\n');
    const json = await (await get(server, '/stats/export.json')).json();
    expect(json.follow).toEqual([
      expect.objectContaining({ series, followers: 3000, failing: 7, requested: 3600, confirmed: 3000 }),
    ]);
    expect(json.follow[0].parts).toEqual([
      expect.objectContaining({ part: 2, sent: 2000, failed: 5, inDoubt: 1, pending: 994 }),
    ]);
    for (const output of [html, csv, JSON.stringify(json)]) expect(output).not.toMatch(/lezer\d+@|sleutel-/);

    const stats = await runServerCommand('report-cli.ts', [], { REEKS_DB_PATH: dbPath });
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.stdout).toMatch(/Digitale transformatie +3\.000 +3\.600 +3\.000 +83,3% +12 +7/);
    expect(stats.stdout).not.toContain('@example.nl');
  }, 60_000);

  it(`stores a day's new sources beyond ${tracking.newSourcesPerDay} as "overige", and says so`, async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, env);
    const extra = 10;
    const answers = await Promise.all(
      Array.from({ length: tracking.newSourcesPerDay + extra }, (_, i) =>
        sendEvent(server, pageView(1), { Referer: `${server.url}${partPaths[0]}?utm_source=bron-${i}` }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    const db = new DatabaseSync(dbPath, { readOnly: true });
    const stored = db.prepare('SELECT COUNT(DISTINCT source) AS sources FROM events').get() as {
      sources: number;
    };
    db.close();
    // The cap's sources, and the one name the rest is stored under.
    expect(stored.sources).toBe(tracking.newSourcesPerDay + 1);

    const html = await (await get(server, '/stats/')).text();
    expect(DomUtils.textContent(parseDocument(html))).toContain(
      `Op 1 dag kwamen meer dan ${tracking.newSourcesPerDay} nieuwe bronnen binnen: ${extra} meldingen met een nieuwe daarboven staan onder "overige".`,
    );
    const text = await (await get(server, '/stats/export.csv')).text();
    expect(text).toContain(`${extra} meldingen met een nieuwe daarboven`);
  }, 60_000);

  it('shows no ratio above 100% for forged read-on and clicks, and marks them unreliable', async () => {
    const dbPath = tempDatabase();
    const server = await serve(dbPath, env);
    const fromPart1 = { referrer: `${server.url}${partPaths[0]}` };
    await sendEvent(server, pageView(1));
    // Four views of part 2 "from part 1", twelve clicks, one invitation seen.
    for (let i = 0; i < 4; i++) await sendEvent(server, { ...pageView(2), ...fromPart1 });
    await sendEvent(server, { ...pageView(2), type: 'contact_view' });
    for (let i = 0; i < 12; i++)
      await sendEvent(server, { ...pageView(2), type: 'contact_click', channel: 'email' });
    // Part 1 has no part before it: a view of it "from part 1" is no read-on.
    await sendEvent(server, { ...pageView(1), ...fromPart1 });
    const db = new DatabaseSync(dbPath, { readOnly: true });
    const readOn = db
      .prepare('SELECT part, SUM(read_on) AS readOn FROM events GROUP BY part ORDER BY part')
      .all();
    db.close();
    expect(readOn).toEqual([
      { part: 1, readOn: 0 },
      { part: 2, readOn: 4 },
    ]);

    const html = await (await get(server, '/stats/')).text();
    const shown = percentages(html);
    expect(shown.length).toBeGreaterThan(0);
    expect(Math.max(...shown)).toBe(100);
    expect(html).toMatch(/100,0% \(onbetrouwbaar\)/);
    expect(html).toContain('de tellingen kloppen niet');
    // The totals' card of the ratio over the invitation seen: 12 clicks on 1 view of it.
    expect(html).toMatch(/Klikratio na gezien<\/dt><dd[^>]*>100,0%<\/dd><dd[^>]*>onbetrouwbaar<\/dd>/);
    const csv = await (await get(server, '/stats/export.csv')).text();
    expect(Math.max(...percentages(csv))).toBe(100);
    expect(csv).toContain('100,0% (onbetrouwbaar)');
    const json = await (await get(server, '/stats/export.json')).json();
    expect(json.unreliable).toContainEqual({ figure: 'readOnShare', of: 'part', name: partPaths[0] });
    expect(json.unreliable).toContainEqual({ figure: 'seenCtr', of: 'page', name: partPaths[1] });
  }, 60_000);
});
