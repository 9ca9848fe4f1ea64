// The marketing report's figures, as every output of it takes them (the page, the terminal, the
// exports), and the sums it makes of counted rows: the ratios, the funnel through each series
// (read-on) and the change since the period before. Pure, so it is tested without a database
// (report-figures.test.ts); src/server/report.ts counts the rows.

import type { ContactChannel } from './contact.ts';
import type { Day, Period } from './period.ts';
import type { SectionFunnel } from './section-funnel.ts';
import type { NamedPage } from './site-page.ts';

/**
 * A share of one count in another (clicks per view, read-on per view), never more than 1: where
 * the part outgrows the whole the counts do not add up (forged or lost events), so the value is
 * capped and the figure marked unreliable. Null without a whole to divide by.
 */
export interface Ratio {
  value: number | null;
  unreliable: boolean;
}

export const ratio = (part: number, whole: number): Ratio =>
  whole > 0
    ? { value: Math.min(part / whole, 1), unreliable: part > whole }
    : { value: null, unreliable: false };

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
  /** The source, or the campaign; "overige" for the rest. */
  name: string;
  /** Clicks per page view. */
  ctr: Ratio;
  /** Set on the row that sums the rest: how many sources or campaigns it holds. */
  others?: number;
}

/** How many sources and campaigns the report names; the rest is summed as "overige". */
export const shownGroups = 50;
export const othersName = 'overige';

/**
 * What the collector stores instead of a source or campaign beyond the day's cap of new ones
 * (tracking.newSourcesPerDay); a cleaned tag can never be this (traffic-source.ts keeps no "~").
 */
export const overflowTag = '~overige';

export interface Figures {
  views: number;
  clicks: number;
  /** Clicks per view. */
  ctr: Ratio;
}

/** Page views, the contact block seen, contact clicks (messages included) and messages. */
export interface Totals extends Figures {
  contactViews: number;
  /** Clicks per view of the contact block. */
  seenCtr: Ratio;
  messages: number;
}

export interface PageFigures extends Figures, NamedPage {
  /** The series id of a part. */
  series?: string;
  contactViews: number;
  seenCtr: Ratio;
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

/** Events whose source or campaign was stored as "overige" because a day brought too many new ones. */
export interface Overflow {
  /** Events of the period stored so. */
  events: number;
  /** The days it happened on. */
  days: number;
}

export interface Report {
  period: Period;
  totals: Totals;
  /** The same number of days right before the period, and its totals. */
  before: { period: Period; totals: Totals };
  pages: PageFigures[];
  channels: ChannelFigures[];
  daily: DayFigures[];
  /**
   * One row per source, medium and campaign: the most viewed, then one "overige" row for the
   * rest. Counted only when asked for (the JSON export): the page and the CSV do without.
   */
  sources?: SourceRow[];
  /** The most viewed sources and campaigns, then "overige" for the rest. */
  bySource: GroupFigures[];
  byCampaign: GroupFigures[];
  series: SeriesFunnel[];
  /** Following by e-mail, per series that has followers, follow counts or a part's mails. */
  follow: FollowFigures[];
  overflow: { sources: Overflow; campaigns: Overflow };
  /** The cap of new sources a day (tracking.newSourcesPerDay), for the report to name. */
  newSourcesPerDay: number;
  /** How far each part with views was read: its section funnel and engaged time. */
  sectionFunnels: SectionFunnel[];
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
  /** Times the invitation at the end of this part was seen. */
  contactViews: number;
  clicks: number;
  /** Follows confirmed in the period from this part's form, of addresses that still follow. */
  follows: number;
}

export interface FunnelStep {
  part: number;
  path: string;
  title: string;
  views: number;
  /** Views of the next part reached from this one; null for the last part. */
  readOn: number | null;
  /** readOn per view of this part. */
  readOnShare: Ratio | null;
  /** The invitation at the end of the part seen: the step before contact or follow. */
  contactViews: number;
  clicks: number;
  /** Follows confirmed from this part's form (of addresses that still follow). */
  follows: number;
}

export interface SeriesFunnel {
  series: string;
  title: string;
  parts: FunnelStep[];
  /** Contact clicks on the last part: the end of the funnel. */
  contactAtEnd: number;
  /** Follows of the series confirmed in the period, from any page (unsubscribed since included). */
  followsInPeriod: number;
}

/**
 * One funnel per series, from part 1 to the last: read-on of part n is the views of part n+1
 * that came from part n. Steps from page to page, never people.
 */
export function seriesFunnels(
  parts: readonly PartCounts[],
  followsInPeriod: ReadonlyMap<string, number> = new Map(),
): SeriesFunnel[] {
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
          contactViews: part.contactViews,
          clicks: part.clicks,
          follows: part.follows,
        };
      });
      return {
        series: sorted[0]!.series,
        title: sorted[0]!.seriesTitle,
        parts: steps,
        contactAtEnd: steps.at(-1)!.clicks,
        followsInPeriod: followsInPeriod.get(sorted[0]!.series) ?? 0,
      };
    })
    .sort((a, b) => a.title.localeCompare(b.title, 'nl'));
}

/** A part's mails to the followers of its series, by where they stand now. */
export interface PartMails {
  part: number;
  path: string;
  title: string;
  sent: number;
  /** Refused for good (5xx after its tries, or 4xx too often). */
  failed: number;
  /** Handed to SMTP when the server stopped, not marked sent: never sent again. */
  inDoubt: number;
  /** Waiting for their turn or for a retry, or being sent right now. */
  pending: number;
}

/** Following one series by e-mail: no address, only counts. */
export interface FollowFigures {
  series: string;
  title: string;
  /** Confirmed followers now. */
  followers: number;
  /** Of those, addresses the mail server refused for good: they get no more mail. */
  failing: number;
  /** Follow forms that sent a confirmation mail in the period. */
  requested: number;
  /** Follows confirmed in the period. */
  confirmed: number;
  unsubscribed: number;
  /** Confirmed per form sent in the period. */
  confirmedShare: Ratio;
  /** Every part whose publication mailed the followers, in order. */
  parts: PartMails[];
}

/** The change from the period before, as a fraction (0.12 is +12%); null when there was nothing before. */
export const change = (now: number, before: number) => (before > 0 ? (now - before) / before : null);
