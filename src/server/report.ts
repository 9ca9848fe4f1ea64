// The figures of the marketing report, read from the events database: page views, the contact
// block seen, contact clicks and click-through rates per page, per channel, per day, per source
// and campaign, the read-on through each series, and the totals of the period before. Used by
// /stats/, its CSV and JSON exports and `npm run stats`, so all of them show the same numbers.
import type { DatabaseSync } from 'node:sqlite';
import { channelNames, contactChannels, type ContactChannel } from '../lib/contact.ts';
import { addDays, dayStart, daysOf, type Period } from '../lib/period.ts';
import {
  othersName,
  overflowTag,
  ratio,
  seriesFunnels,
  shownGroups,
  type DayFigures,
  type FollowFigures,
  type GroupFigures,
  type Overflow,
  type PageFigures,
  type PartMails,
  type Report,
  type SourceCounts,
  type SourceRow,
  type Totals,
} from '../lib/report-figures.ts';
import { site, tracking } from '../site.config.ts';
import { namedPage, type PageColumns } from './event-store.ts';

export type {
  ChannelFigures,
  DayFigures,
  Figures,
  FollowFigures,
  PageFigures,
  Report,
  Totals,
} from '../lib/report-figures.ts';

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

const counted = `SUM(type = 'pageview') AS views, SUM(type = 'contact_view') AS contactViews,
                 SUM(type = 'contact_click') AS clicks`;
const summed = 'SUM(views) AS views, SUM(contactViews) AS contactViews, SUM(clicks) AS clicks';
const mostViewed = 'views DESC, clicks DESC';

/**
 * The `shownGroups` most viewed sources or campaigns, then one "overige" row for the rest (and
 * for what the collector stored as overflow). Summed and cut in SQL, so 150,000 made-up sources
 * cost the server one sort, never 150,000 objects or table rows.
 */
function topGroups(db: DatabaseSync, range: object, column: 'source' | 'campaign'): GroupFigures[] {
  const key = column === 'source' ? `COALESCE(source, '${unknownSource}')` : 'campaign';
  const rows = db
    .prepare(
      `WITH grouped AS (
         SELECT ${key} AS name, ${counted} FROM events
         WHERE day BETWEEN $from AND $to AND ${key} IS NOT NULL GROUP BY 1
       ),
       ranked AS (
         SELECT *, ROW_NUMBER() OVER (ORDER BY name = $overflow, ${mostViewed}, name) AS rank FROM grouped
       )
       SELECT CASE WHEN rank <= $shown AND name != $overflow THEN name END AS name, ${summed},
              SUM(name != $overflow) AS members
       FROM ranked GROUP BY 1 ORDER BY name IS NULL, ${mostViewed}`,
    )
    .all({ ...range, $overflow: overflowTag, $shown: shownGroups }) as unknown as (SourceCounts & {
    name: string | null;
    members: number;
  })[];
  const named = rows
    .filter((row) => row.name !== null)
    .map(({ name, views, contactViews, clicks }) => ({
      name: name!,
      views,
      contactViews,
      clicks,
      ctr: ratio(clicks, views),
    }))
    .sort((a, b) => b.views - a.views || b.clicks - a.clicks || a.name.localeCompare(b.name, 'nl'));
  const rest = rows.find((row) => row.name === null);
  if (!rest) return named;
  const { views, contactViews, clicks, members } = rest;
  return [
    ...named,
    { name: othersName, views, contactViews, clicks, ctr: ratio(clicks, views), others: members },
  ];
}

/** The most viewed rows of source, medium and campaign, then one "overige" row for the rest. */
function topSourceRows(db: DatabaseSync, range: object): SourceRow[] {
  const rows = db
    .prepare(
      `WITH grouped AS (
         SELECT COALESCE(source, '${unknownSource}') AS source, medium, campaign, ${counted}
         FROM events WHERE day BETWEEN $from AND $to GROUP BY 1, 2, 3
       ),
       ranked AS (
         SELECT *, ROW_NUMBER() OVER (
           ORDER BY source = $overflow OR campaign IS $overflow, ${mostViewed}, source, medium, campaign
         ) AS rank FROM grouped
       )
       SELECT rank > $shown OR source = $overflow OR campaign IS $overflow AS rest,
              source, medium, campaign, ${summed}
       FROM ranked GROUP BY rest, CASE WHEN rest THEN NULL ELSE rank END
       ORDER BY rest, ${mostViewed}, source, medium, campaign`,
    )
    .all({ ...range, $overflow: overflowTag, $shown: shownGroups }) as unknown as (SourceRow & {
    rest: number;
  })[];
  return rows.map(({ rest, ...row }) =>
    rest ? { ...row, source: othersName, medium: null, campaign: null } : row,
  );
}

/** The events of the period whose source or campaign the collector stored as overflow. */
function readOverflow(db: DatabaseSync, range: object): { sources: Overflow; campaigns: Overflow } {
  const read = (column: 'source' | 'campaign') =>
    db
      .prepare(
        `SELECT COUNT(*) AS events, COUNT(DISTINCT day) AS days FROM events
         WHERE day BETWEEN $from AND $to AND ${column} = $overflow`,
      )
      .get({ ...range, $overflow: overflowTag }) as unknown as Overflow;
  return { sources: read('source'), campaigns: read('campaign') };
}

/**
 * Following by e-mail, per series: followers now (and of those, failing addresses), the period's
 * forms, confirmations and unsubscribes (follow_days), and the mails of each part that was mailed,
 * by state. Only counts: no address leaves the database. Bounded by the site's series and parts:
 * the follow routes store rows only for a series of the site, and mails only for its parts.
 */
function readFollow(db: DatabaseSync, range: { $from: string; $to: string }): FollowFigures[] {
  const rows = db
    .prepare(
      `WITH ids AS (
         SELECT series FROM followers
         UNION SELECT series FROM follow_days WHERE day BETWEEN $from AND $to
         UNION SELECT series FROM publications WHERE mailed = 1
       ),
       days AS (
         SELECT series, SUM(requested) AS requested, SUM(confirmed) AS confirmed, SUM(unsubscribed) AS unsubscribed
         FROM follow_days WHERE day BETWEEN $from AND $to GROUP BY series
       ),
       present AS (
         SELECT series, COUNT(*) AS followers, COUNT(failing_at) AS failing FROM followers GROUP BY series
       )
       SELECT ids.series,
              COALESCE((SELECT series_title FROM publications p WHERE p.series = ids.series LIMIT 1),
                       (SELECT series_title FROM pages WHERE pages.series = ids.series AND series_title IS NOT NULL LIMIT 1),
                       ids.series) AS title,
              COALESCE(present.followers, 0) AS followers, COALESCE(present.failing, 0) AS failing,
              COALESCE(days.requested, 0) AS requested, COALESCE(days.confirmed, 0) AS confirmed,
              COALESCE(days.unsubscribed, 0) AS unsubscribed
       FROM ids LEFT JOIN days USING (series) LEFT JOIN present USING (series)`,
    )
    .all(range) as unknown as Omit<FollowFigures, 'confirmedShare' | 'parts'>[];
  const mails = db
    .prepare(
      `SELECT p.series, p.part, p.path, p.title,
              COALESCE(SUM(o.state = 'sent'), 0) AS sent, COALESCE(SUM(o.state = 'failed'), 0) AS failed,
              COALESCE(SUM(o.state = 'in-doubt'), 0) AS inDoubt,
              COALESCE(SUM(o.state IN ('pending', 'sending')), 0) AS pending
       FROM publications p LEFT JOIN outbox o ON o.series = p.series AND o.part = p.part AND o.kind = 'part'
       WHERE p.mailed = 1 GROUP BY p.series, p.part ORDER BY p.series, p.part`,
    )
    .all() as unknown as (PartMails & { series: string })[];
  return rows
    .map((row) => ({
      ...row,
      confirmedShare: ratio(row.confirmed, row.requested),
      parts: mails.filter((mail) => mail.series === row.series).map(({ series: _, ...mail }) => mail),
    }))
    .sort((a, b) => a.title.localeCompare(b.title, 'nl') || a.series.localeCompare(b.series));
}

/**
 * Follows confirmed in the period from the form on each part, of addresses that still follow (a
 * follower's row, with the page it came from, goes at unsubscribe). Only pages of the site count.
 */
function followsByPart(db: DatabaseSync, period: Period): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT f.source_path AS path, COUNT(*) AS follows FROM followers f
       JOIN pages ON pages.path = f.source_path AND pages.kind = 'part'
       WHERE f.confirmed_at >= ? AND f.confirmed_at < ? GROUP BY f.source_path`,
    )
    .all(
      dayStart(period.from, site.timeZone).toISOString(),
      dayStart(addDays(period.to, 1), site.timeZone).toISOString(),
    ) as { path: string; follows: number }[];
  return new Map(rows.map((row) => [row.path, row.follows]));
}

/** What a report may leave out: its rows per source, medium and campaign, which only the JSON export shows. */
export interface ReportOptions {
  sourceRows?: boolean;
}

export function readReport(
  db: DatabaseSync,
  period: Period,
  { sourceRows = false }: ReportOptions = {},
): Report {
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

  const follow = readFollow(db, range);
  const partFollows = followsByPart(db, period);
  const series = seriesFunnels(
    pages
      .filter((page) => page.kind === 'part' && page.series !== undefined && page.part !== undefined)
      .map((page) => ({
        ...page,
        series: page.series!,
        seriesTitle: page.seriesTitle ?? page.series!,
        part: page.part!,
        follows: partFollows.get(page.path) ?? 0,
      })),
    new Map(follow.map((figures) => [figures.series, figures.confirmed])),
  );

  const before = periodBefore(period);
  return {
    period,
    totals,
    before: { period: before, totals: readTotals(db, before) },
    pages: pages.map(({ readOnIn: _, ...page }) => page),
    channels,
    daily,
    sources: sourceRows ? topSourceRows(db, range) : undefined,
    bySource: topGroups(db, range, 'source'),
    byCampaign: topGroups(db, range, 'campaign'),
    series,
    follow,
    overflow: readOverflow(db, range),
    newSourcesPerDay: tracking.newSourcesPerDay,
  };
}
