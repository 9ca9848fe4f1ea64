// The report cut down to one author's pages, for the read-only link an author gets
// (src/server/report-link.ts): their parts and author page, the channels and totals summed from
// those, the read-on through their series, following per series (counts only) and the reading
// depth of their parts. What is counted for the whole site and cannot be split by page (sources,
// campaigns, the days) is left out.
// Pure, so it is tested without a database (report-author.test.ts).
import { contactChannels, channelNames, type ContactChannel } from './contact.ts';
import { ratio, type PageFigures, type Report, type Totals } from './report-figures.ts';

/** The totals of these pages: views, the invitation seen, contact clicks and messages. */
export function totalsOf(pages: readonly PageFigures[]): Totals {
  const sum = (figure: (page: PageFigures) => number) =>
    pages.reduce((total, page) => total + figure(page), 0);
  const views = sum((page) => page.views);
  const contactViews = sum((page) => page.contactViews);
  const clicks = sum((page) => page.clicks);
  return {
    views,
    contactViews,
    clicks,
    messages: sum((page) => page.clicksByChannel.message),
    ctr: ratio(clicks, views),
    seenCtr: ratio(clicks, contactViews),
  };
}

/**
 * `report` with only the pages in `paths`; `reportBefore` is the report of the period before,
 * for the totals to compare with.
 */
export function authorReport(report: Report, reportBefore: Report, paths: ReadonlySet<string>): Report {
  const own = (page: { path: string }) => paths.has(page.path);
  const pages = report.pages.filter(own);
  const totals = totalsOf(pages);
  const series = report.series
    .map((funnel) => ({ ...funnel, parts: funnel.parts.filter(own) }))
    .filter((funnel) => funnel.parts.length > 0);
  const seriesIds = new Set(series.map((funnel) => funnel.series));
  const channels = contactChannels.map((channel: ContactChannel) => {
    const clicks = pages.reduce((sum, page) => sum + page.clicksByChannel[channel], 0);
    return {
      channel,
      name: channelNames[channel],
      views: totals.views,
      clicks,
      ctr: ratio(clicks, totals.views),
    };
  });
  return {
    period: report.period,
    totals,
    before: { period: reportBefore.period, totals: totalsOf(reportBefore.pages.filter(own)) },
    pages,
    channels,
    daily: [],
    bySource: [],
    byCampaign: [],
    series,
    follow: report.follow
      .filter((figures) => seriesIds.has(figures.series))
      .map((figures) => ({ ...figures, parts: figures.parts.filter(own) })),
    overflow: { sources: { events: 0, days: 0 }, campaigns: { events: 0, days: 0 } },
    newSourcesPerDay: report.newSourcesPerDay,
    sectionFunnels: report.sectionFunnels.filter(own),
  };
}
