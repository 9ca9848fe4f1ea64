// The figures of the marketing report, read from the events database: page views, the contact
// block seen, contact clicks and click-through rates per page, per channel, per day, per source
// and campaign, the read-on through each series, and the totals of the period before. Used by
// /stats/, its CSV and JSON exports and `npm run stats`, so all of them show the same numbers.
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
import type { Sql } from './database.ts';
import { partSectionFunnels, readDepthCounts } from './depth-report.ts';
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
const clickColumns = contactChannels
  .map((channel) => `COUNT(*) FILTER (WHERE channel = '${channel}') AS ${channel}`)
  .join(', ');
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

// Query text both dialects read alike (src/server/database.ts): counts as COUNT(*) FILTER, names
// in camelCase quoted (PostgreSQL folds the others to lower case), orders total, NULLs placed.

async function readTotals(sql: Sql, period: Period): Promise<Totals> {
  const row = (await sql.get<{ views: number; contactViews: number; clicks: number; messages: number }>(
    `SELECT COUNT(*) FILTER (WHERE type = 'pageview') AS views,
            COUNT(*) FILTER (WHERE type = 'contact_view') AS "contactViews",
            COUNT(*) FILTER (WHERE type = 'contact_click') AS clicks,
            COUNT(*) FILTER (WHERE channel = 'message') AS messages
     FROM events WHERE day BETWEEN ? AND ?`,
    [period.from, period.to],
  ))!;
  return { ...row, ctr: ratio(row.clicks, row.views), seenCtr: ratio(row.clicks, row.contactViews) };
}

const counted = `COUNT(*) FILTER (WHERE type = 'pageview') AS views,
                 COUNT(*) FILTER (WHERE type = 'contact_view') AS "contactViews",
                 COUNT(*) FILTER (WHERE type = 'contact_click') AS clicks`;
const summed = 'SUM(views) AS views, SUM("contactViews") AS "contactViews", SUM(clicks) AS clicks';
const mostViewed = 'views DESC, clicks DESC';

// A type, not an interface: it passes as the query's named parameters.
type Range = { from: string; to: string };

/**
 * The `shownGroups` most viewed sources or campaigns, then one "overige" row for the rest (and
 * for what the collector stored as overflow). Summed and cut in SQL, so 150,000 made-up sources
 * cost the server one sort, never 150,000 objects or table rows.
 */
async function topGroups(sql: Sql, range: Range, column: 'source' | 'campaign'): Promise<GroupFigures[]> {
  const key = column === 'source' ? `COALESCE(source, '${unknownSource}')` : 'campaign';
  const rows = await sql.all<SourceCounts & { name: string | null; members: number }>(
    `WITH grouped AS (
       SELECT ${key} AS name, ${counted} FROM events
       WHERE day BETWEEN $from AND $to AND ${key} IS NOT NULL GROUP BY 1
     ),
     ranked AS (
       SELECT *, ROW_NUMBER() OVER (ORDER BY name = $overflow, ${mostViewed}, name) AS rank FROM grouped
     ),
     cut AS (
       SELECT CASE WHEN rank <= $shown AND name != $overflow THEN name END AS shown,
              name != $overflow AS member, views, "contactViews", clicks
       FROM ranked
     )
     SELECT shown AS name, ${summed}, COUNT(*) FILTER (WHERE member) AS members
     FROM cut GROUP BY shown ORDER BY shown IS NULL, ${mostViewed}, shown`,
    { ...range, overflow: overflowTag, shown: shownGroups },
  );
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
async function topSourceRows(sql: Sql, range: Range): Promise<SourceRow[]> {
  const tagOrder = 'source, medium NULLS FIRST, campaign NULLS FIRST';
  const rows = await sql.all<SourceRow & { rest: number }>(
    `WITH grouped AS (
       SELECT COALESCE(source, '${unknownSource}') AS source, medium, campaign, ${counted}
       FROM events WHERE day BETWEEN $from AND $to GROUP BY 1, 2, 3
     ),
     ranked AS (
       SELECT *, ROW_NUMBER() OVER (
         ORDER BY source = $overflow OR campaign IS NOT DISTINCT FROM $overflow, ${mostViewed}, ${tagOrder}
       ) AS rank FROM grouped
     ),
     marked AS (
       SELECT *, rank > $shown OR source = $overflow OR campaign IS NOT DISTINCT FROM $overflow AS rest
       FROM ranked
     )
     -- A row of its own for each shown one, one row for the rest.
     SELECT MAX(CASE WHEN rest THEN 1 ELSE 0 END) AS rest, MIN(source) AS source, MIN(medium) AS medium,
            MIN(campaign) AS campaign, ${summed}
     FROM marked GROUP BY CASE WHEN rest THEN 0 ELSE rank END
     ORDER BY rest, ${mostViewed}, ${tagOrder}`,
    { ...range, overflow: overflowTag, shown: shownGroups },
  );
  return rows.map(({ rest, ...row }) =>
    rest ? { ...row, source: othersName, medium: null, campaign: null } : row,
  );
}

/** The events of the period whose source or campaign the collector stored as overflow. */
async function readOverflow(sql: Sql, range: Range): Promise<{ sources: Overflow; campaigns: Overflow }> {
  const read = async (column: 'source' | 'campaign') =>
    (await sql.get<Overflow>(
      `SELECT COUNT(*) AS events, COUNT(DISTINCT day) AS days FROM events
       WHERE day BETWEEN $from AND $to AND ${column} = $overflow`,
      { ...range, overflow: overflowTag },
    ))!;
  const [sources, campaigns] = await Promise.all([read('source'), read('campaign')]);
  return { sources, campaigns };
}

/**
 * Following by e-mail, per series: followers now (and of those, failing addresses), the period's
 * forms, confirmations and unsubscribes (follow_days), and the mails of each part that was mailed,
 * by state. Only counts: no address leaves the database. Bounded by the site's series and parts:
 * the follow routes store rows only for a series of the site, and mails only for its parts.
 */
async function readFollow(sql: Sql, range: Range): Promise<FollowFigures[]> {
  const [rows, mails] = await Promise.all([
    sql.all<Omit<FollowFigures, 'confirmedShare' | 'parts'>>(
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
              COALESCE((SELECT series_title FROM publications p WHERE p.series = ids.series ORDER BY p.part LIMIT 1),
                       (SELECT series_title FROM pages WHERE pages.series = ids.series AND series_title IS NOT NULL
                        ORDER BY pages.path LIMIT 1),
                       ids.series) AS title,
              COALESCE(present.followers, 0) AS followers, COALESCE(present.failing, 0) AS failing,
              COALESCE(days.requested, 0) AS requested, COALESCE(days.confirmed, 0) AS confirmed,
              COALESCE(days.unsubscribed, 0) AS unsubscribed
       FROM ids LEFT JOIN days USING (series) LEFT JOIN present USING (series)`,
      range,
    ),
    sql.all<PartMails & { series: string }>(
      `SELECT p.series, p.part, p.path, p.title,
              COUNT(*) FILTER (WHERE o.state = 'sent') AS sent, COUNT(*) FILTER (WHERE o.state = 'failed') AS failed,
              COUNT(*) FILTER (WHERE o.state = 'in-doubt') AS "inDoubt",
              COUNT(*) FILTER (WHERE o.state IN ('pending', 'sending')) AS pending
       FROM publications p LEFT JOIN outbox o ON o.series = p.series AND o.part = p.part AND o.kind = 'part'
       WHERE p.mailed = 1 GROUP BY p.series, p.part, p.path, p.title ORDER BY p.series, p.part`,
    ),
  ]);
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
async function followsByPart(sql: Sql, period: Period): Promise<Map<string, number>> {
  const rows = await sql.all<{ path: string; follows: number }>(
    `SELECT f.source_path AS path, COUNT(*) AS follows FROM followers f
     JOIN pages ON pages.path = f.source_path AND pages.kind = 'part'
     WHERE f.confirmed_at >= ? AND f.confirmed_at < ? GROUP BY f.source_path`,
    [
      dayStart(period.from, site.timeZone).toISOString(),
      dayStart(addDays(period.to, 1), site.timeZone).toISOString(),
    ],
  );
  return new Map(rows.map((row) => [row.path, row.follows]));
}

/** What a report may leave out: its rows per source, medium and campaign, which only the JSON export shows. */
export interface ReportOptions {
  sourceRows?: boolean;
  /**
   * The period to compare with; by default the same number of days right before. The monthly
   * mail compares with the calendar month before (src/lib/report-schedule.ts).
   */
  before?: Period;
}

/**
 * The report of `period`. Its queries are independent of each other: on PostgreSQL they run at
 * once on the pool's connections, on SQLite one after the other.
 */
export async function readReport(
  sql: Sql,
  period: Period,
  { sourceRows = false, before = periodBefore(period) }: ReportOptions = {},
): Promise<Report> {
  const range: Range = { from: period.from, to: period.to };

  // Every page now on the site, with or without events, plus any other page with events.
  const pageRows = sql.all<PageRow>(
    `WITH counts AS (
       SELECT path,
              COUNT(*) FILTER (WHERE type = 'pageview') AS views,
              COUNT(*) FILTER (WHERE type = 'contact_view') AS contact_views,
              COUNT(*) FILTER (WHERE type = 'pageview' AND read_on = 1) AS read_on_in,
              ${clickColumns}
       FROM events WHERE day BETWEEN $from AND $to GROUP BY path
     ),
     shown AS (SELECT path FROM pages WHERE on_site = 1 UNION SELECT path FROM counts)
     SELECT shown.path, pages.kind, pages.title, pages.series, pages.series_title, pages.part,
            COALESCE(counts.views, 0) AS views, COALESCE(counts.contact_views, 0) AS contact_views,
            COALESCE(counts.read_on_in, 0) AS read_on_in, ${clickTotals}
     FROM shown LEFT JOIN pages USING (path) LEFT JOIN counts USING (path)`,
    range,
  );
  const dayRows = sql.all<DayFigures>(
    `SELECT day, COUNT(*) FILTER (WHERE type = 'pageview') AS views,
            COUNT(*) FILTER (WHERE type = 'contact_click') AS clicks
     FROM events WHERE day BETWEEN $from AND $to GROUP BY day`,
    range,
  );
  const [
    rows,
    totals,
    totalsBefore,
    dayFigures,
    follow,
    partFollows,
    sources,
    bySource,
    byCampaign,
    overflow,
    depth,
  ] = await Promise.all([
    pageRows,
    readTotals(sql, period),
    readTotals(sql, before),
    dayRows,
    readFollow(sql, range),
    followsByPart(sql, period),
    sourceRows ? topSourceRows(sql, range) : undefined,
    topGroups(sql, range, 'source'),
    topGroups(sql, range, 'campaign'),
    readOverflow(sql, range),
    readDepthCounts(sql, range),
  ]);

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

  const perDay = new Map(dayFigures.map((row) => [row.day, row]));
  const daily = daysOf(period).map((day) => ({
    day,
    views: perDay.get(day)?.views ?? 0,
    clicks: perDay.get(day)?.clicks ?? 0,
  }));

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

  return {
    period,
    totals,
    before: { period: before, totals: totalsBefore },
    pages: pages.map(({ readOnIn: _, ...page }) => page),
    channels,
    daily,
    sources,
    bySource,
    byCampaign,
    series,
    follow,
    overflow,
    newSourcesPerDay: tracking.newSourcesPerDay,
    sectionFunnels: partSectionFunnels(pages, partFollows, depth),
  };
}
