// The figures of the marketing report, read from the events database: page views, contact
// clicks and click-through rate per page, per channel and per day. Used by /stats/, its CSV
// export and `npm run stats`, so all three always show the same numbers.
import type { DatabaseSync } from 'node:sqlite';
import { channelNames, contactChannels, type ContactChannel } from '../lib/contact.ts';
import { daysOf, type Day, type Period } from '../lib/period.ts';
import { namedPage, type NamedPage, type PageColumns } from './event-store.ts';

export interface Figures {
  views: number;
  clicks: number;
  /** Clicks per view; null without views. */
  ctr: number | null;
}

export interface PageFigures extends Figures, NamedPage {
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
  totals: Figures;
  pages: PageFigures[];
  channels: ChannelFigures[];
  daily: DayFigures[];
}

const ratio = (clicks: number, views: number) => (views > 0 ? clicks / views : null);

type PageRow = PageColumns & Record<ContactChannel, number> & { views: number };

// One count column per channel, named after it; the names are the constants in contact.ts.
const clickColumns = contactChannels.map((channel) => `SUM(channel = '${channel}') AS ${channel}`).join(', ');
const clickTotals = contactChannels.map((channel) => `COALESCE(counts.${channel}, 0) AS ${channel}`).join(', ');

const kindOrder = { part: 0, author: 1, unknown: 2 };

export function readReport(db: DatabaseSync, period: Period): Report {
  const range = { $from: period.from, $to: period.to };

  // Every page now on the site, with or without events, plus any other page with events.
  const rows = db
    .prepare(
      `WITH counts AS (
         SELECT path,
                SUM(type = 'pageview') AS views,
                ${clickColumns}
         FROM events WHERE day BETWEEN $from AND $to GROUP BY path
       ),
       shown AS (SELECT path FROM pages WHERE on_site = 1 UNION SELECT path FROM counts)
       SELECT shown.path, pages.kind, pages.title, pages.series_title, pages.part,
              COALESCE(counts.views, 0) AS views, ${clickTotals}
       FROM shown LEFT JOIN pages USING (path) LEFT JOIN counts USING (path)`,
    )
    .all(range) as unknown as PageRow[];

  const pages: PageFigures[] = rows
    .map((row) => {
      const clicksByChannel = Object.fromEntries(contactChannels.map((channel) => [channel, row[channel]])) as Record<ContactChannel, number>;
      const clicks = contactChannels.reduce((sum, channel) => sum + clicksByChannel[channel], 0);
      return {
        ...namedPage(row),
        views: row.views,
        clicks,
        ctr: ratio(clicks, row.views),
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

  const views = pages.reduce((sum, page) => sum + page.views, 0);
  const clicks = pages.reduce((sum, page) => sum + page.clicks, 0);
  const channels = contactChannels.map((channel) => {
    const channelClicks = pages.reduce((sum, page) => sum + page.clicksByChannel[channel], 0);
    return { channel, name: channelNames[channel], views, clicks: channelClicks, ctr: ratio(channelClicks, views) };
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
  const daily = daysOf(period).map((day) => ({ day, views: perDay.get(day)?.views ?? 0, clicks: perDay.get(day)?.clicks ?? 0 }));

  return { period, totals: { views, clicks, ctr: ratio(clicks, views) }, pages, channels, daily };
}
