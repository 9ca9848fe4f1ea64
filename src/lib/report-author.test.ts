import { describe, expect, it } from 'vitest';
import { authorReport } from './report-author.ts';
import { ratio, seriesFunnels, type PageFigures, type Report } from './report-figures.ts';
import { sectionFunnel } from './section-funnel.ts';

const page = (path: string, views: number, clicks: number, messages = 0): PageFigures => ({
  path,
  kind: 'part',
  title: path,
  series: path.split('/')[1],
  seriesTitle: path.split('/')[1],
  part: Number(path.at(-2)),
  views,
  contactViews: views / 2,
  clicks,
  ctr: ratio(clicks, views),
  seenCtr: ratio(clicks, views / 2),
  clicksByChannel: { email: clicks - messages, phone: 0, linkedin: 0, message: messages },
});

const reportOf = (pages: PageFigures[]): Report => ({
  period: { days: 7, from: '2026-11-23', to: '2026-11-29' },
  totals: {
    views: 999,
    clicks: 99,
    contactViews: 9,
    messages: 9,
    ctr: ratio(99, 999),
    seenCtr: ratio(99, 9),
  },
  before: {
    period: { days: 7, from: '2026-11-16', to: '2026-11-22' },
    totals: { views: 1, clicks: 0, contactViews: 0, messages: 0, ctr: ratio(0, 1), seenCtr: ratio(0, 0) },
  },
  pages,
  channels: [],
  daily: [{ day: '2026-11-23', views: 999, clicks: 99 }],
  bySource: [{ name: 'linkedin.com', views: 999, contactViews: 9, clicks: 99, ctr: ratio(99, 999) }],
  byCampaign: [],
  series: seriesFunnels(
    pages.map((figures) => ({
      series: figures.series!,
      seriesTitle: figures.seriesTitle!,
      part: figures.part!,
      path: figures.path,
      title: figures.title,
      views: figures.views,
      readOnIn: 0,
      contactViews: figures.contactViews,
      clicks: figures.clicks,
      follows: 0,
    })),
  ),
  follow: ['a', 'b'].map((series) => ({
    series,
    title: series,
    followers: 3,
    failing: 0,
    requested: 0,
    confirmed: 0,
    unsubscribed: 0,
    confirmedShare: ratio(0, 0),
    parts: [],
  })),
  overflow: { sources: { events: 5, days: 1 }, campaigns: { events: 0, days: 0 } },
  newSourcesPerDay: 1000,
  sectionFunnels: pages.map((figures) =>
    sectionFunnel({
      ...figures,
      sections: [],
      byFurthest: new Map(),
      endReached: 0,
      engaged: new Map(),
      contacts: figures.clicks,
    }),
  ),
});

describe('authorReport', () => {
  const now = reportOf([page('/a/1/', 40, 4, 1), page('/a/2/', 20, 2), page('/b/1/', 100, 10)]);
  const before = reportOf([page('/a/1/', 30, 0), page('/b/1/', 500, 0)]);
  const own = authorReport(now, before, new Set(['/a/1/', '/a/2/']));

  it("keeps the author's pages and series only, and sums the totals and channels from them", () => {
    expect(own.pages.map((figures) => figures.path)).toEqual(['/a/1/', '/a/2/']);
    expect(own.totals).toMatchObject({ views: 60, clicks: 6, contactViews: 30, messages: 1 });
    expect(own.before.totals).toMatchObject({ views: 30, clicks: 0 });
    expect(own.series.map((funnel) => funnel.series)).toEqual(['a']);
    expect(own.follow.map((figures) => figures.series)).toEqual(['a']);
    expect(own.sectionFunnels.map((funnel) => funnel.path)).toEqual(['/a/1/', '/a/2/']);
    expect(own.channels.find((channel) => channel.channel === 'email')).toMatchObject({
      clicks: 5,
      views: 60,
    });
  });

  it('leaves out what is counted for the whole site: sources, campaigns, the days', () => {
    expect([own.bySource, own.byCampaign, own.daily]).toEqual([[], [], []]);
    expect(own.overflow.sources.events).toBe(0);
  });
});
