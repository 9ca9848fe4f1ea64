// The sums the marketing report makes of counted rows: per source and per campaign, the funnel
// through each series (read-on), and the change since the period before. Pure, so it is tested
// without a database (report-figures.test.ts); src/server/report.ts feeds it.

/** Clicks per view; null without views. */
export const ratio = (clicks: number, views: number) => (views > 0 ? clicks / views : null);

/** What is counted for each source, medium and campaign. */
export interface SourceCounts {
  views: number;
  contactViews: number;
  clicks: number;
}

export interface SourceRow extends SourceCounts {
  source: string;
  medium: string | null;
  campaign: string | null;
}

export interface GroupFigures extends SourceCounts {
  /** The source, or the campaign. */
  name: string;
  /** Clicks per page view. */
  ctr: number | null;
}

/**
 * Sums rows by source or by campaign (rows without a campaign are left out of the latter), the
 * largest number of views first.
 */
export function groupBy(rows: readonly SourceRow[], key: 'source' | 'campaign'): GroupFigures[] {
  const groups = new Map<string, SourceCounts>();
  for (const row of rows) {
    const name = row[key];
    if (name === null) continue;
    const sum = groups.get(name) ?? { views: 0, contactViews: 0, clicks: 0 };
    sum.views += row.views;
    sum.contactViews += row.contactViews;
    sum.clicks += row.clicks;
    groups.set(name, sum);
  }
  return [...groups]
    .map(([name, sum]) => ({ name, ...sum, ctr: ratio(sum.clicks, sum.views) }))
    .sort((a, b) => b.views - a.views || b.clicks - a.clicks || a.name.localeCompare(b.name, 'nl'));
}

/** A part as the funnel needs it: its views, and the views of it reached from the part before. */
export interface PartCounts {
  series: string;
  seriesTitle: string;
  part: number;
  path: string;
  title: string;
  views: number;
  /** Views of this part whose reader came from the part before (read_on). */
  readOnIn: number;
  clicks: number;
}

export interface FunnelStep {
  part: number;
  path: string;
  title: string;
  views: number;
  /** Views of the next part reached from this one; null for the last part. */
  readOn: number | null;
  /** readOn per view of this part. */
  readOnShare: number | null;
  clicks: number;
}

export interface SeriesFunnel {
  series: string;
  title: string;
  parts: FunnelStep[];
  /** Contact clicks on the last part: the end of the funnel. */
  contactAtEnd: number;
}

/**
 * One funnel per series, from part 1 to the last: read-on of part n is the views of part n+1
 * that came from part n. Steps from page to page, never people.
 */
export function seriesFunnels(parts: readonly PartCounts[]): SeriesFunnel[] {
  const bySeries = new Map<string, PartCounts[]>();
  for (const part of parts) bySeries.set(part.series, [...(bySeries.get(part.series) ?? []), part]);
  return [...bySeries.values()]
    .map((members) => {
      const sorted = [...members].sort((a, b) => a.part - b.part);
      const steps = sorted.map((part, index): FunnelStep => {
        const next = sorted[index + 1];
        const readOn = next ? (next.part === part.part + 1 ? next.readOnIn : 0) : null;
        return {
          part: part.part,
          path: part.path,
          title: part.title,
          views: part.views,
          readOn,
          readOnShare: readOn === null ? null : ratio(readOn, part.views),
          clicks: part.clicks,
        };
      });
      return {
        series: sorted[0]!.series,
        title: sorted[0]!.seriesTitle,
        parts: steps,
        contactAtEnd: steps.at(-1)!.clicks,
      };
    })
    .sort((a, b) => a.title.localeCompare(b.title, 'nl'));
}

/** The change from the period before, as a fraction (0.12 is +12%); null when there was nothing before. */
export const change = (now: number, before: number) => (before > 0 ? (now - before) / before : null);
