import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TrackedEvent } from '../lib/events.ts';
import { lastDays } from '../lib/period.ts';
import { othersName, overflowTag } from '../lib/report-figures.ts';
import { type Database, sqliteDatabase } from './database.ts';
import { openDatabase, schemaVersion } from './db.ts';
import { recordDepth } from './depth-store.ts';
import { recordEvent, syncPages, type PageRecord } from './event-store.ts';
import { reportCsv, reportJson, reportText } from '../lib/report-format.ts';
import type { Report } from './report.ts';
import { readReport } from './report.ts';
import { openTestDatabase, testedDatabases, type DatabaseKind } from './test-databases.ts';

const part1: PageRecord = {
  path: '/reeks/een/',
  kind: 'part',
  title: 'Een',
  author: 'job',
  series: 'reeks',
  seriesTitle: 'Reeks',
  part: 1,
};
const part2: PageRecord = {
  path: '/reeks/twee/',
  kind: 'part',
  title: 'Twee',
  author: 'job',
  series: 'reeks',
  seriesTitle: 'Reeks',
  part: 2,
};
const authorPage: PageRecord = { path: '/auteurs/job/', kind: 'author', title: 'Job Coenen', author: 'job' };

function event(
  page: PageRecord,
  type: TrackedEvent['type'],
  channel: TrackedEvent['channel'] = null,
): TrackedEvent {
  return {
    type,
    path: page.path,
    author: page.author,
    series: page.series ?? null,
    part: page.part ?? null,
    channel,
  };
}

async function database(kind: DatabaseKind) {
  const db = await openTestDatabase(kind);
  await syncPages(db, [part1, part2, authorPage]);
  return db;
}

/** 10 May 2024, noon in Amsterdam. */
const now = new Date('2024-05-10T10:00:00Z');
const tz = 'Europe/Amsterdam';

describe.each(testedDatabases())('the report on %s', (kind) => {
  describe('readReport', () => {
    let db: Database;
    beforeEach(async () => {
      db = await database(kind);
    });
    afterEach(async () => {
      await db.close();
    });

    it('compares with the period it is given, a calendar month say, instead of the days before', async () => {
      await recordEvent(db, event(part1, 'pageview'), '2024-03-31');
      for (let i = 0; i < 3; i++) await recordEvent(db, event(part1, 'pageview'), '2024-03-05');
      for (let i = 0; i < 2; i++) await recordEvent(db, event(part1, 'pageview'), '2024-04-20');
      const april = { from: '2024-04-01', to: '2024-04-30', days: 30 };
      const march = { from: '2024-03-01', to: '2024-03-31', days: 31 };
      const report = await readReport(db, april, { before: march });
      expect(report.totals.views).toBe(2);
      expect(report.before).toMatchObject({ period: march, totals: { views: 4 } });
      // By default the 30 days before: 2 to 31 March.
      expect((await readReport(db, april)).before.totals.views).toBe(4);
      const firstOfApril = { from: '2024-04-01', to: '2024-04-01', days: 1 };
      expect((await readReport(db, firstOfApril)).before.totals.views).toBe(1);
    });

    it('gives each part its section funnel and engaged time, the views without a depth record counted at the views only', async () => {
      const sections = [
        { id: 'a', title: 'Alfa' },
        { id: 'b', title: 'Bravo' },
        { id: 'c', title: 'Charlie' },
        { id: 'd', title: 'Delta' },
      ];
      await syncPages(db, [{ ...part1, sections }, part2, authorPage]);
      for (let i = 0; i < 3; i++) await recordEvent(db, event(part1, 'pageview'), '2024-05-10');
      await recordEvent(db, event(part1, 'contact_view'), '2024-05-10');
      await recordEvent(db, event(part1, 'contact_click', 'email'), '2024-05-10');
      const depth = (view: string, furthest: number, endReached: boolean, engaged: '10-30s' | '3-10m') =>
        recordDepth(
          db,
          { view, path: part1.path, author: 'job', series: 'reeks', part: 1, furthest, endReached, engaged },
          '2024-05-10',
        );
      await depth('0b6f6c1e-3c1a-4a57-9a3e-000000000001', 3, false, '10-30s');
      await depth('0b6f6c1e-3c1a-4a57-9a3e-000000000002', 4, true, '3-10m');
      // Outside the period: not counted.
      await recordDepth(
        db,
        {
          view: '0b6f6c1e-3c1a-4a57-9a3e-000000000003',
          path: part1.path,
          author: 'job',
          series: 'reeks',
          part: 1,
          furthest: 4,
          endReached: true,
          engaged: '3-10m',
        },
        '2024-04-01',
      );

      const report = await readReport(db, lastDays(7, now, tz));
      expect(report.sectionFunnels.map((funnel) => funnel.path)).toEqual([part1.path]);
      const [funnel] = report.sectionFunnels;
      expect(funnel!.steps.map((step) => [step.label, step.count])).toEqual([
        ['Weergaven', 3],
        ['Alfa', 2],
        ['Bravo', 2],
        ['Charlie', 2],
        ['Delta', 1],
        ['Einde van het artikel', 1],
        ['Uitnodiging gezien', 1],
        ['Contact of volgen', 1],
      ]);
      expect(funnel).toMatchObject({ views: 3, records: 2, withoutRecord: 1 });
      expect(funnel!.engaged.filter((bucket) => bucket.count > 0)).toEqual([
        { bucket: '10-30s', name: '10–30 s', count: 1 },
        { bucket: '3-10m', name: '3–10 min', count: 1 },
      ]);

      const json = reportJson(report);
      expect(json.sectionFunnels[0]).toMatchObject({
        path: part1.path,
        views: 3,
        depthRecords: 2,
        withoutDepthRecord: 1,
        engaged: { 'under-10s': 0, '10-30s': 1, '3-10m': 1 },
      });
      expect(json.sectionFunnels[0]!.steps.map((step) => step.count)).toEqual([3, 2, 2, 2, 1, 1, 1, 1]);
      const csv = reportCsv(report);
      expect(csv).toContain('Reeks, deel 1: Een;Charlie;2;66,7%');
      expect(csv).toContain('Reeks, deel 1: Een;Delta;1;33,3%');
      expect(csv).toContain('Reeks, deel 1: Een;2;0;1;0;0;1;0');
      const text = reportText(report);
      expect(text).toContain('Leesdiepte per deel');
      expect(text).toContain('Leestijd per deel');
    });

    it('counts views, clicks and click-through rate per page, per channel and in total', async () => {
      for (let i = 0; i < 10; i++) await recordEvent(db, event(part1, 'pageview'), '2024-05-10');
      for (let i = 0; i < 4; i++) await recordEvent(db, event(part2, 'pageview'), '2024-05-09');
      await recordEvent(db, event(part1, 'contact_click', 'email'), '2024-05-10');
      await recordEvent(db, event(part2, 'contact_click', 'email'), '2024-05-09');
      await recordEvent(db, event(part2, 'contact_click', 'linkedin'), '2024-05-09');
      await recordEvent(db, event(authorPage, 'contact_click', 'phone'), '2024-05-08');

      const report = await readReport(db, lastDays(7, now, tz));

      expect(report.pages.map((page) => [page.title, page.views, page.clicks, page.ctr.value])).toEqual([
        ['Een', 10, 1, 0.1],
        ['Twee', 4, 2, 0.5],
        ['Job Coenen', 0, 1, null],
      ]);
      expect(report.pages[1]!.clicksByChannel).toEqual({ email: 1, phone: 0, linkedin: 1, message: 0 });
      expect(report.totals).toEqual({
        views: 14,
        contactViews: 0,
        clicks: 4,
        messages: 0,
        ctr: { value: 4 / 14, unreliable: false },
        seenCtr: { value: null, unreliable: false },
      });
      expect(report.channels.map((c) => [c.name, c.clicks, c.ctr.value])).toEqual([
        ['E-mail', 2, 2 / 14],
        ['Telefoon', 1, 1 / 14],
        ['LinkedIn', 1, 1 / 14],
        ['Bericht', 0, 0],
      ]);
    });

    it('has one row per day of the period, days without events included', async () => {
      await recordEvent(db, event(part1, 'pageview'), '2024-05-04');
      await recordEvent(db, event(part1, 'contact_click', 'email'), '2024-05-10');
      const { daily } = await readReport(db, lastDays(7, now, tz));
      expect(daily).toEqual([
        { day: '2024-05-04', views: 1, clicks: 0 },
        { day: '2024-05-05', views: 0, clicks: 0 },
        { day: '2024-05-06', views: 0, clicks: 0 },
        { day: '2024-05-07', views: 0, clicks: 0 },
        { day: '2024-05-08', views: 0, clicks: 0 },
        { day: '2024-05-09', views: 0, clicks: 0 },
        { day: '2024-05-10', views: 0, clicks: 1 },
      ]);
    });

    it('counts the first and last day of the period and nothing outside it', async () => {
      for (const day of ['2024-05-03', '2024-05-04', '2024-05-10', '2024-05-11'])
        await recordEvent(db, event(part1, 'pageview'), day);
      expect((await readReport(db, lastDays(7, now, tz))).totals.views).toBe(2);
      expect((await readReport(db, lastDays(30, now, tz))).totals.views).toBe(3);
    });

    it('lists every page on the site, and still names a page that has left it', async () => {
      await recordEvent(db, event(part2, 'pageview'), '2024-05-10');
      await syncPages(db, [part1, authorPage]);
      await recordEvent(db, { ...event(part1, 'pageview'), path: '/nooit-gekend/' }, '2024-05-10');

      const { pages } = await readReport(db, lastDays(7, now, tz));
      expect(pages.map((page) => [page.kind, page.title, page.views])).toEqual([
        ['part', 'Een', 0],
        ['part', 'Twee', 1],
        ['author', 'Job Coenen', 0],
        ['unknown', '/nooit-gekend/', 1],
      ]);
    });
  });

  describe('readReport: sources, read-on and the period before', () => {
    let db: Database;
    let report: Report;
    beforeAll(async () => {
      db = await database(kind);
      const linkedin = { source: 'linkedin', medium: null, campaign: 'najaar' };
      const direct = { source: 'direct', medium: null, campaign: null };
      await recordEvent(db, { ...event(part1, 'pageview'), source: linkedin }, '2024-05-10');
      await recordEvent(db, { ...event(part1, 'contact_view'), source: linkedin }, '2024-05-10');
      await recordEvent(db, { ...event(part1, 'contact_click', 'email'), source: linkedin }, '2024-05-10');
      await recordEvent(db, { ...event(part1, 'pageview'), source: direct }, '2024-05-09');
      await recordEvent(
        db,
        { ...event(part2, 'pageview'), source: { ...direct, source: 'intern' }, readOn: true },
        '2024-05-10',
      );
      await recordEvent(db, { ...event(part2, 'contact_click', 'message'), source: linkedin }, '2024-05-10');
      // The 7 days before: 2024-04-27 to 2024-05-03.
      await recordEvent(db, event(part1, 'pageview'), '2024-05-03');
      await recordEvent(db, event(part1, 'pageview'), '2024-04-27');
      await recordEvent(db, event(part1, 'pageview'), '2024-04-26');
      report = await readReport(db, lastDays(7, now, tz), { sourceRows: true });
    });
    afterAll(async () => {
      await db.close();
    });

    it('counts views, the invitation seen and clicks per source and per campaign, no ratio above 100%', async () => {
      const reliable = (value: number) => ({ value, unreliable: false });
      // Two clicks on one view: the counts do not add up, so the ratio stops at 100% and says so.
      const capped = { value: 1, unreliable: true };
      expect(report.bySource).toEqual([
        { name: 'linkedin', views: 1, contactViews: 1, clicks: 2, ctr: capped },
        { name: 'direct', views: 1, contactViews: 0, clicks: 0, ctr: reliable(0) },
        { name: 'intern', views: 1, contactViews: 0, clicks: 0, ctr: reliable(0) },
      ]);
      expect(report.byCampaign).toEqual([
        { name: 'najaar', views: 1, contactViews: 1, clicks: 2, ctr: capped },
      ]);
    });

    it('shows the invitation seen per part, with the click ratio over it', async () => {
      const one = report.pages.find((page) => page.path === part1.path)!;
      expect([one.views, one.contactViews, one.clicks, one.ctr.value, one.seenCtr.value]).toEqual([
        2, 1, 1, 0.5, 1,
      ]);
      expect(report.totals).toMatchObject({ views: 3, contactViews: 1, clicks: 2, messages: 1 });
    });

    it('counts read-on from part 1 to part 2 in the series funnel', async () => {
      expect(report.series).toHaveLength(1);
      expect(report.series[0]!.parts.map((step) => [step.part, step.views, step.readOn])).toEqual([
        [1, 2, 1],
        [2, 1, null],
      ]);
      expect(report.series[0]!.contactAtEnd).toBe(1);
    });

    it('compares the totals with the same number of days before', async () => {
      expect(report.before.period).toEqual({ days: 7, from: '2024-04-27', to: '2024-05-03' });
      expect(report.before.totals.views).toBe(2);
      expect(reportText(report)).toMatch(/Weergaven +3 +2 +\+50% t\.o\.v\. de 7 dagen ervoor/);
      expect(reportText(report)).toMatch(/Uitnodiging gezien +1 +0 +0 in de 7 dagen ervoor/);
    });

    it('exports every figure as JSON in the documented shape', async () => {
      const json = JSON.parse(JSON.stringify(reportJson(report)));
      expect(json.period).toEqual({ from: '2024-05-04', to: '2024-05-10', days: 7 });
      expect(json.totals).toEqual({ views: 3, contactViews: 1, contactClicks: 2, messages: 1 });
      expect(json.before.totals).toEqual({ views: 2, contactViews: 0, contactClicks: 0, messages: 0 });
      expect(json.pages.find((page: { path: string }) => page.path === part1.path)).toEqual({
        path: part1.path,
        title: 'Een',
        kind: 'part',
        series: 'reeks',
        part: 1,
        views: 2,
        contactViews: 1,
        contactClicks: 1,
        channels: { email: 1, phone: 0, linkedin: 0, message: 0 },
      });
      expect(json.sources).toContainEqual({
        source: 'linkedin',
        medium: null,
        campaign: 'najaar',
        views: 1,
        contactViews: 1,
        contactClicks: 2,
      });
      expect(json.series).toEqual([
        {
          series: 'reeks',
          title: 'Reeks',
          parts: [
            {
              part: 1,
              path: part1.path,
              title: 'Een',
              views: 2,
              readOn: 1,
              contactViews: 1,
              contactClicks: 1,
              follows: 0,
            },
            {
              part: 2,
              path: part2.path,
              title: 'Twee',
              views: 1,
              readOn: null,
              contactViews: 0,
              contactClicks: 1,
              follows: 0,
            },
          ],
          followsInPeriod: 0,
        },
      ]);
      expect(json.follow).toEqual([]);
    });

    it('prints and exports the source, campaign and series tables', async () => {
      const text = reportText(report);
      expect(text).toMatch(/Per bron\nBron +Weergaven +Uitnodiging gezien +Contactklikken +Klikratio/);
      expect(text).toMatch(/linkedin +1 +1 +2 +100,0% \(onbetrouwbaar\)/);
      expect(text).toContain('"onbetrouwbaar": de tellingen kloppen niet');
      expect(text).toMatch(/Reeks +1: Een +2 +1 +50,0% +1/);
      expect(text).toContain('nooit personen');
      const csv = reportCsv(report);
      expect(csv).toContain(
        '\r\nPer bron\r\nBron;Weergaven;Uitnodiging gezien;Contactklikken;Klikratio\r\nlinkedin;1;1;2;100,0% (onbetrouwbaar)\r\n',
      );
      expect(csv).toContain(
        '\r\nPer campagne\r\nCampagne;Weergaven;Uitnodiging gezien;Contactklikken;Klikratio\r\nnajaar;1;1;2;100,0% (onbetrouwbaar)\r\n',
      );
      expect(csv).toContain('Reeks;1: Een;2;1;50,0%;1;1;0\r\nReeks;2: Twee;1;;;0;1;0\r\n');
    });
  });

  describe('readReport: more sources than it shows', () => {
    let db: Database;
    let report: Report;
    beforeAll(async () => {
      db = await database(kind);
      // Written directly, past the collector's cap: 52 sources, the first five viewed most, and
      // what the collector stored as overflow, viewed most of all.
      await db.transaction(async (tx) => {
        const view = (source: string, medium: string | null) =>
          tx.run(
            `INSERT INTO events (day, type, path, author, series, part, source, medium, campaign)
             VALUES ('2024-05-10', 'pageview', ?, 'job', 'reeks', 1, ?, ?, NULL)`,
            [part1.path, source, medium],
          );
        for (let i = 0; i < 52; i++) {
          const name = `bron-${String(i).padStart(2, '0')}`;
          for (let n = 0; n < (i < 5 ? 3 : 2); n++) await view(name, i % 2 === 0 ? null : 'social');
        }
        for (let n = 0; n < 5; n++) await view(overflowTag, null);
      });
      report = await readReport(db, lastDays(7, now, tz), { sourceRows: true });
    });
    afterAll(async () => {
      await db.close();
    });

    it('shows the 50 most viewed, the ties by name, and sums the rest and the overflow as "overige"', () => {
      expect(report.bySource).toHaveLength(51);
      expect(report.bySource.slice(0, 6).map((row) => [row.name, row.views])).toEqual([
        ['bron-00', 3],
        ['bron-01', 3],
        ['bron-02', 3],
        ['bron-03', 3],
        ['bron-04', 3],
        ['bron-05', 2],
      ]);
      expect(report.bySource[49]!.name).toBe('bron-49');
      expect(report.bySource[50]).toMatchObject({ name: othersName, views: 9, others: 2 });
      expect(report.overflow.sources).toEqual({ events: 5, days: 1 });
      expect(report.sources).toHaveLength(51);
      expect(report.sources![0]).toMatchObject({ source: 'bron-00', medium: null, views: 3 });
      expect(report.sources![50]).toEqual({
        source: othersName,
        medium: null,
        campaign: null,
        views: 9,
        contactViews: 0,
        clicks: 0,
      });
    });
  });

  describe('readReport: following by e-mail', () => {
    let db: Database;
    let report: Report;
    // The follow store and the outbox are ported on their own: their rows are written here as they
    // write them (follow-store.ts recordFollowRequest, confirmFollower, unsubscribe, recordRelease).
    beforeAll(async () => {
      db = await database(kind);
      const addDay = (day: string, column: 'requested' | 'confirmed' | 'unsubscribed') =>
        db.run(
          `INSERT INTO follow_days (day, series, ${column}) VALUES (?, 'reeks', 1)
         ON CONFLICT (day, series) DO UPDATE SET ${column} = follow_days.${column} + 1`,
          [day],
        );
      for (let i = 0; i < 3; i++) {
        await db.run(
          "INSERT INTO follow_requests (address_key, series, requested_at, expires_at) VALUES (?, 'reeks', ?, ?)",
          [`key-${i}`, '2024-05-09T08:00:00.000Z', '2024-05-10T08:00:00.000Z'],
        );
        await addDay('2024-05-09', 'requested');
      }
      const follow = async (email: string, from: string, when: string, day: string) => {
        await db.run(
          "INSERT INTO followers (address_key, email, series, confirmed_at, source_path) VALUES (?, ?, 'reeks', ?, ?)",
          [`key-${email}`, email, new Date(when).toISOString(), from],
        );
        await addDay(day, 'confirmed');
      };
      // Confirmed before the period: counts as a follower, not as new.
      await follow('oud@example.nl', part1.path, '2024-04-01T08:00:00Z', '2024-04-01');
      await follow('anna@example.nl', part1.path, '2024-05-09T08:05:00Z', '2024-05-09');
      await follow('bram@example.nl', '/reeks/volgen/', '2024-05-09T08:06:00Z', '2024-05-09');
      // Confirmed just after midnight in Amsterdam on the period's first day (22:30 UTC the day before).
      await follow('cor@example.nl', part2.path, '2024-05-03T22:30:00Z', '2024-05-04');
      await follow('dirk@example.nl', part1.path, '2024-05-09T09:00:00Z', '2024-05-09');
      await db.run("DELETE FROM followers WHERE address_key = 'key-dirk@example.nl'");
      await addDay('2024-05-10', 'unsubscribed');
      // The first release is recorded without mail; part 2 comes later and is mailed to the followers.
      const publish = (part: 1 | 2, release: string, at: string, mailed: number) =>
        db.run(
          `INSERT INTO publications (series, part, path, title, description, series_title, of_parts, release, published_at, mailed)
         VALUES ('reeks', ?, ?, ?, 'Over het deel.', 'Reeks', 3, ?, ?, ?)`,
          [part, part === 1 ? part1.path : part2.path, part === 1 ? 'Een' : 'Twee', release, at, mailed],
        );
      await publish(1, 'r1', '2024-04-01T00:00:00.000Z', 0);
      await publish(2, 'r2', '2024-05-10T06:00:00.000Z', 1);
      await db.run(
        `INSERT INTO outbox (recipient, cause, kind, priority, follower_id, series, part, next_try_at, created_at)
       SELECT address_key, 'part:reeks:2', 'part', 2, id, series, 2, ?, ? FROM followers ORDER BY id`,
        ['2024-05-10T06:00:00.000Z', '2024-05-10T06:00:00.000Z'],
      );
      // Bram's mail server refused the mail for good: the address is failing.
      await db.run(
        "UPDATE followers SET failing_at = '2024-05-10T00:00:00Z' WHERE email = 'bram@example.nl'",
      );
      const states = ['sent', 'sent', 'failed', 'in-doubt'];
      for (const [index, state] of states.entries())
        await db.run(
          "UPDATE outbox SET state = ? WHERE id = (SELECT id FROM outbox WHERE kind = 'part' ORDER BY id LIMIT 1 OFFSET ?)",
          [state, index],
        );
      report = await readReport(db, lastDays(7, now, tz));
    });
    afterAll(async () => {
      await db.close();
    });

    it('counts followers now, the forms, confirmations and unsubscribes of the period, and failing addresses', async () => {
      expect(report.follow).toEqual([
        {
          series: 'reeks',
          title: 'Reeks',
          followers: 4,
          failing: 1,
          requested: 3,
          confirmed: 4,
          unsubscribed: 1,
          confirmedShare: { value: 1, unreliable: true },
          parts: [{ part: 2, path: part2.path, title: 'Twee', sent: 2, failed: 1, inDoubt: 1, pending: 0 }],
        },
      ]);
    });

    it("makes follow a step of the funnel: per part from its form, and the series' new followers", async () => {
      expect(report.series[0]!.parts.map((step) => [step.part, step.follows])).toEqual([
        [1, 1],
        [2, 1],
      ]);
      expect(report.series[0]!.followsInPeriod).toBe(4);
    });

    it('prints and exports it, with no address anywhere', async () => {
      const text = reportText(report);
      expect(text).toMatch(/Volgen per e-mail\nReeks +Volgers nu +Aanvragen +Bevestigd/);
      expect(text).toMatch(/Reeks, deel 2: Twee +2 +1 +1 +0/);
      const csv = reportCsv(report);
      expect(csv).toContain('\r\nVolgen per e-mail\r\n');
      expect(csv).toContain('\r\nReeks;4;3;4;100,0% (onbetrouwbaar);1;1\r\n');
      expect(csv).toContain('\r\nReeks, deel 2: Twee;2;1;1;0\r\n');
      const json = reportJson(report);
      expect(json.follow[0]).toMatchObject({ followers: 4, failing: 1, requested: 3, confirmed: 4 });
      for (const output of [text, csv, JSON.stringify(json)]) expect(output).not.toContain('@');
    });
  });

  describe('the report as text and CSV', () => {
    let db: Database;
    let report: Report;
    beforeAll(async () => {
      db = await database(kind);
      await recordEvent(db, event(part2, 'pageview'), '2024-05-10');
      await recordEvent(db, event(part2, 'pageview'), '2024-05-10');
      await recordEvent(db, event(part2, 'pageview'), '2024-05-10');
      await recordEvent(db, event(part2, 'contact_click', 'email'), '2024-05-10');
      await syncPages(db, [
        part1,
        part2,
        { ...authorPage, title: 'Job "de schrijver"; Coenen' },
        { ...part1, path: '/x/', seriesTitle: '=HYPERLINK("x")' },
      ]);
      report = await readReport(db, lastDays(7, now, tz));
    });
    afterAll(async () => {
      await db.close();
    });

    it('prints Dutch labels and percentages with a decimal comma', async () => {
      const text = reportText(report);
      expect(text).toContain('Statistieken, laatste 7 dagen (4 mei 2024 t/m 10 mei 2024)');
      expect(text).toMatch(/Reeks, deel 2: Twee +3 +0 +1 +33,3% +– +1 +0 +0/);
      expect(text).toMatch(/Reeks, deel 1: Een +0 +0 +0 +– +– /);
      expect(text).toMatch(/E-mail +1 +33,3%/);
    });

    it('writes the same figures as semicolon CSV with a byte order mark, defusing formulas', async () => {
      const csv = reportCsv(report);
      expect(csv.startsWith('\uFEFFTotalen\r\n')).toBe(true);
      expect(csv).toContain('\r\nPer pagina\r\n');
      expect(csv).toContain('Reeks, deel 2: Twee;3;0;1;33,3%;;1;0;0;0\r\n');
      expect(csv).toContain('Reeks, deel 1: Een;0;0;0;;;0;0;0;0\r\n');
      expect(csv).toContain('"Auteurspagina Job ""de schrijver""; Coenen";0;0;0;;;0;0;0;0\r\n');
      expect(csv).toContain(`\n"'=HYPERLINK(""x""), deel 1: Een";0;0;0;;;0;0;0;0\r\n`);
      expect(csv).toContain('E-mail;1;33,3%\r\n');
      expect(csv).toContain('2024-05-10;3;1\r\n');
    });
  });
});

describe('the SQLite database', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'reeks-db-'));
    dirs.push(dir);
    return join(dir, 'nested', 'site.db');
  };

  it('is created with its folder, in WAL mode, at the current schema version', () => {
    const path = tempFile();
    openDatabase(path).close();
    const raw = new DatabaseSync(path);
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(raw.prepare('PRAGMA user_version').get()).toEqual({ user_version: schemaVersion });
    raw.close();
  });

  it('keeps its rows when opened again', async () => {
    const path = tempFile();
    const first = sqliteDatabase(openDatabase(path));
    await recordEvent(first, event(part1, 'pageview'), '2024-05-10');
    await first.close();
    const reopened = openDatabase(path);
    expect(reopened.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 1 });
    reopened.close();
  });

  it('stores nothing about the reader: no address, no user agent, no time of day', () => {
    const db = openDatabase(':memory:');
    const columns = (table: string) =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    expect(columns('events')).toEqual([
      'id',
      'day',
      'type',
      'path',
      'author',
      'series',
      'part',
      'channel',
      'source',
      'medium',
      'campaign',
      'read_on',
    ]);
  });

  it('refuses a database made by a newer version of the site', () => {
    const path = tempFile();
    openDatabase(path).close();
    const raw = new DatabaseSync(path);
    raw.exec(`PRAGMA user_version = ${schemaVersion + 1}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow(/newer than this code knows/);
  });
});
