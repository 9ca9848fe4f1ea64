// The report's mails queued on SQLite and PostgreSQL: once per recipient and period, also when two
// processes find the same period due at the same moment, and from the report's own figures.
import { describe, expect, it } from 'vitest';
import { dueWeekly } from '../lib/report-schedule.ts';
import type { Database } from './database.ts';
import { recordEvent, syncPages } from './event-store.ts';
import { readReport } from './report.ts';
import { queueReportMail, startReportSchedule, type ReportMailContext } from './report-mail.ts';
import { deriveKeys } from './secrets.ts';
import { openTwoDatabases, testedDatabases } from './test-databases.ts';

const keys = deriveKeys('k'.repeat(32));
const config = {
  reportMailTo: ['marketing@gemeente.nl', 'auteur@gemeente.nl'],
  siteUrl: 'https://reeks.example.com',
  reportMail: 'weekly' as const,
  testNow: new Date('2026-11-30T09:00:00Z'),
};
const page = {
  path: '/reeks/een/',
  kind: 'part' as const,
  title: 'Een',
  author: 'job',
  series: 'reeks',
  seriesTitle: 'Reeks',
  part: 1,
};

const contextOf = (database: Database): ReportMailContext & { config: typeof config } => ({
  database,
  config,
  keys,
  readReport: (period, options) => readReport(database, period, options),
});

const reportRows = (database: Database) =>
  database.all<{ recipient: string; cause: string; kind: string; payload: string }>(
    "SELECT recipient, cause, kind, payload FROM outbox WHERE kind = 'report' ORDER BY id",
  );

describe.each(testedDatabases())('the report mail on %s', (kind) => {
  it('is queued once per recipient and period, by two processes at once and again later', async () => {
    const [first, second, close] = await openTwoDatabases(kind);
    try {
      await syncPages(first, [page]);
      for (let i = 0; i < 5; i++)
        await recordEvent(
          first,
          { type: 'pageview', path: page.path, author: 'job', series: 'reeks', part: 1, channel: null },
          '2026-11-25',
        );
      const due = dueWeekly(config.testNow, 'Europe/Amsterdam');
      const send = { kind: due.kind, period: due.period, before: due.before, cause: due.key };
      const counts = await Promise.all([
        queueReportMail(contextOf(first), send),
        queueReportMail(contextOf(second), send),
      ]);
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(2);
      expect(await queueReportMail(contextOf(second), send)).toBe(0);
      const rows = await reportRows(first);
      expect(rows).toHaveLength(2);
      expect(new Set(rows.map((row) => row.recipient)).size).toBe(2);
      expect(rows.every((row) => row.cause === 'report:weekly:2026-11-23')).toBe(true);
      const mails = rows.map((row) => JSON.parse(row.payload) as { to: string; text: string });
      expect(mails.map((mail) => mail.to).sort()).toEqual(['auteur@gemeente.nl', 'marketing@gemeente.nl']);
      expect(mails[0]!.text).toContain('Weergaven: 5 (0 in de week ervoor)');
      // The schedule on both finds it queued: nothing more, and the outbox is not woken.
      const lines: string[] = [];
      let woken = 0;
      const schedules = [first, second].map((database) =>
        startReportSchedule(contextOf(database), { wake: () => woken++, log: (line) => lines.push(line) }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const schedule of schedules) schedule.stop();
      expect(await reportRows(first)).toHaveLength(2);
      expect(woken).toBe(0);
      expect(lines).toEqual([
        'Report mail: the weekly report of 2026-11-23 to 2026-11-29 was queued before, not again.',
        'Report mail: the weekly report of 2026-11-23 to 2026-11-29 was queued before, not again.',
      ]);
    } finally {
      await close();
    }
  });

  it('the schedule queues what is due, and a recipient added later gets it too', async () => {
    const [database, , close] = await openTwoDatabases(kind);
    try {
      const lines: string[] = [];
      let woken = 0;
      const context = contextOf(database);
      const schedule = startReportSchedule(context, { wake: () => woken++, log: (line) => lines.push(line) });
      await new Promise((resolve) => setTimeout(resolve, 500));
      schedule.stop();
      expect(lines).toEqual([
        'Report mail: the weekly report of 2026-11-23 to 2026-11-29 queued for 2 recipient(s).',
      ]);
      expect(woken).toBe(1);
      const more = {
        ...context,
        config: { ...config, reportMailTo: [...config.reportMailTo, 'nieuw@gemeente.nl'] },
      };
      const due = dueWeekly(config.testNow, 'Europe/Amsterdam');
      expect(
        await queueReportMail(more, {
          kind: 'weekly',
          period: due.period,
          before: due.before,
          cause: due.key,
        }),
      ).toBe(1);
      expect(await reportRows(database)).toHaveLength(3);
    } finally {
      await close();
    }
  });
});
