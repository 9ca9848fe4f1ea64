// The figures of the marketing report, read from the events database: page views, the contact
// block seen, contact clicks and click-through rates per page, per channel, per day, per source
// and campaign, the read-on through each series, and the totals of the period before. Used by
// /stats/, its CSV and JSON exports and `npm run stats`, so all of them show the same numbers.
import type { DatabaseSync } from 'node:sqlite';
import { channelNames, contactChannels, type ContactChannel } from '../lib/contact.ts';
import { addDays, daysOf, type Day, type Period } from '../lib/period.ts';
import {
  groupBy,
  ratio,
  seriesFunnels,
  type GroupFigures,
  type SeriesFunnel,
  type SourceRow,
} from '../lib/report-figures.ts';
import { namedPage, type NamedPage, type PageColumns } from './event-store.ts';

export interface Figures {
  views: number;
  clicks: number;
  /** Clicks per view; null without views. */
  ctr: number | null;
}

/** Page views, the contact block seen, contact clicks (messages included) and messages. */
export interface Totals extends Figures {
  contactViews: number;
  /** Clicks per view of the contact block. */
  seenCtr: number | null;
  messages: number;
}

export interface PageFigures extends Figures, NamedPage {
  /** The series id of a part. */
  series?: string;
  contactViews: number;
  seenCtr: number | null;
  clicksByChannel: Record<ContactChannel, number>;
}

export interface ChannelFigures extends Figures {
  channel: ContactChannel;
  name: string;
}

export interface DayFigures {
  day: Day;
  views: number;
  clicks: number;
}

export interface Report {
  period: Period;
  totals: Totals;
  /** The same number of days right before the period, and its totals. */
  before: { period: Period; totals: Totals };
  pages: PageFigures[];
  channels: ChannelFigures[];
  daily: DayFigures[];
  /** One row per source, medium and campaign. */
  sources: SourceRow[];
  bySource: GroupFigures[];
  byCampaign: GroupFigures[];
  series: SeriesFunnel[];
}

/** The source of events stored before sources were recorded. */
export const unknownSource = 'onbekend';

type PageRow = PageColumns &
  Record<ContactChannel, number> & {
    series: string | null;
    views: number;
    contact_views: number;
    read_on_in: number;
  };

// One count column per channel, named after it; the names are the constants in contact.ts.
const clickColumns = contactChannels.map((channel) => `SUM(channel = '${channel}') AS ${channel}`).join(', ');
const clickTotals = contactChannels
  .map((channel) => `COALESCE(counts.${channel}, 0) AS ${channel}`)
  .join(', ');

const kindOrder = { part: 0, author: 1, unknown: 2 };

/** The same number of days, ending the day before the period starts. */
export const periodBefore = (period: Period): Period => ({
  days: period.days,
  from: addDays(period.from, -period.days),
  to: addDays(period.from, -1),
});

function readTotals(db: DatabaseSync, period: Period): Totals {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(type = 'pageview'), 0) AS views, COALESCE(SUM(type = 'contact_view'), 0) AS contactViews,
              COALESCE(SUM(type = 'contact_click'), 0) AS clicks, COALESCE(SUM(channel = 'message'), 0) AS messages
       FROM events WHERE day BETWEEN ? AND ?`,
    )
    .get(period.from, period.to) as { views: number; contactViews: number; clicks: number; messages: number };
  return { ...row, ctr: ratio(row.clicks, row.views), seenCtr: ratio(row.clicks, row.contactViews) };
}

export function readReport(db: DatabaseSync, period: Period): Report {
  const range = { $from: period.from, $to: period.to };

  // Every page now on the site, with or without events, plus any other page with events.
  const rows = db
    .prepare(
      `WITH counts AS (
         SELECT path,
                SUM(type = 'pageview') AS views,
                SUM(type = 'contact_view') AS contact_views,
                SUM(type = 'pageview' AND read_on = 1) AS read_on_in,
                ${clickColumns}
         FROM events WHERE day BETWEEN $from AND $to GROUP BY path
       ),
       shown AS (SELECT path FROM pages WHERE on_site = 1 UNION SELECT path FROM counts)
       SELECT shown.path, pages.kind, pages.title, pages.series, pages.series_title, pages.part,
              COALESCE(counts.views, 0) AS views, COALESCE(counts.contact_views, 0) AS contact_views,
              COALESCE(counts.read_on_in, 0) AS read_on_in, ${clickTotals}
       FROM shown LEFT JOIN pages USING (path) LEFT JOIN counts USING (path)`,
    )
    .all(range) as unknown as PageRow[];

  const pages: (PageFigures & { readOnIn: number })[] = rows
    .map((row) => {
      const clicksByChannel = Object.fromEntries(
        contactChannels.map((channel) => [channel, row[channel]]),
      ) as Record<ContactChannel, number>;
      const clicks = contactChannels.reduce((sum, channel) => sum + clicksByChannel[channel], 0);
      return {
        ...namedPage(row),
        series: row.series ?? undefined,
        views: row.views,
        contactViews: row.contact_views,
        readOnIn: row.read_on_in,
        clicks,
        ctr: ratio(clicks, row.views),
        seenCtr: ratio(clicks, row.contact_views),
        clicksByChannel,
      };
    })
    .sort(
      (a, b) =>
        kindOrder[a.kind] - kindOrder[b.kind] ||
        (a.seriesTitle ?? '').localeCompare(b.seriesTitle ?? '', 'nl') ||
        (a.part ?? 0) - (b.part ?? 0) ||
        a.title.localeCompare(b.title, 'nl'),
    );

  const totals = readTotals(db, period);
  const { views } = totals;
  const channels = contactChannels.map((channel) => {
    const channelClicks = pages.reduce((sum, page) => sum + page.clicksByChannel[channel], 0);
    return {
      channel,
      name: channelNames[channel],
      views,
      clicks: channelClicks,
      ctr: ratio(channelClicks, views),
    };
  });

  const perDay = new Map(
    (
      db
        .prepare(
          `SELECT day, SUM(type = 'pageview') AS views, SUM(type = 'contact_click') AS clicks
           FROM events WHERE day BETWEEN $from AND $to GROUP BY day`,
        )
        .all(range) as unknown as DayFigures[]
    ).map((row) => [row.day, row]),
  );
  const daily = daysOf(period).map((day) => ({
    day,
    views: perDay.get(day)?.views ?? 0,
    clicks: perDay.get(day)?.clicks ?? 0,
  }));

  const sources = (
    db
      .prepare(
        `SELECT COALESCE(source, '${unknownSource}') AS source, medium, campaign,
                SUM(type = 'pageview') AS views, SUM(type = 'contact_view') AS contactViews,
                SUM(type = 'contact_click') AS clicks
         FROM events WHERE day BETWEEN $from AND $to GROUP BY 1, 2, 3
         ORDER BY views DESC, clicks DESC, source, medium, campaign`,
      )
      .all(range) as unknown as SourceRow[]
  ).map((row) => ({ ...row }));

  const series = seriesFunnels(
    pages
      .filter((page) => page.kind === 'part' && page.series !== undefined && page.part !== undefined)
      .map((page) => ({
        ...page,
        series: page.series!,
        seriesTitle: page.seriesTitle ?? page.series!,
        part: page.part!,
      })),
  );

  const before = periodBefore(period);
  return {
    period,
    totals,
    before: { period: before, totals: readTotals(db, before) },
    pages: pages.map(({ readOnIn: _, ...page }) => page),
    channels,
    daily,
    sources,
    bySource: groupBy(sources, 'source'),
    byCampaign: groupBy(sources, 'campaign'),
    series,
  };
}
