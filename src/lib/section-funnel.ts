// The section funnel of a part: its views, then how many views reached each section (by title),
// the end of the article, the invitation to get in touch, and contact or follow; and the
// distribution of its engaged time. Made of counted rows (src/server/report.ts), shown by the
// report (SectionFunnel.astro), its exports and `npm run stats`, and read by the weekly mail
// (weakestSection). Pure, tested in section-funnel.test.ts.
import { engagedBucketNames, engagedBuckets, type EngagedBucket, type PageSection } from './reading-depth.ts';
import { ratio, type Ratio } from './report-figures.ts';

/** What is counted of one part in the period. */
export interface PartDepthCounts {
  path: string;
  title: string;
  series?: string;
  seriesTitle?: string;
  part?: number;
  sections: readonly PageSection[];
  /** Page views (the pageview events). */
  views: number;
  /** Depth records by their furthest section: `byFurthest[k]` reached k sections (0: none). */
  byFurthest: ReadonlyMap<number, number>;
  /** Depth records that reached the last paragraph. */
  endReached: number;
  engaged: ReadonlyMap<EngagedBucket, number>;
  /** The invitation seen (contact_view events). */
  contactViews: number;
  /** Contact clicks and follows from the part. */
  contacts: number;
}

export type SectionStepKind = 'views' | 'section' | 'end' | 'invitation' | 'contact';

export interface SectionStep {
  kind: SectionStepKind;
  /** "Weergaven", the section's title, "Einde van het artikel", … */
  label: string;
  count: number;
  /** The count's share of the views. */
  share: Ratio;
}

export interface EngagedCount {
  bucket: EngagedBucket;
  /** "1–3 min" */
  name: string;
  count: number;
}

export interface SectionFunnel {
  path: string;
  title: string;
  series?: string;
  seriesTitle?: string;
  part?: number;
  views: number;
  /** Page views that sent a depth record. */
  records: number;
  /**
   * Page views without one (the reader never scrolled, or left before the script came): counted
   * as having reached only what was on screen at load, so in no step after the views.
   */
  withoutRecord: number;
  steps: SectionStep[];
  /** The depth records by engaged time, shortest first; every bucket, also when 0. */
  engaged: EngagedCount[];
}

export const stepLabels: Record<Exclude<SectionStepKind, 'section'>, string> = {
  views: 'Weergaven',
  end: 'Einde van het artikel',
  invitation: 'Uitnodiging gezien',
  contact: 'Contact of volgen',
};

/** The funnel of one part. A record past today's last section (the part lost one) counts for the last. */
export function sectionFunnel(counts: PartDepthCounts): SectionFunnel {
  const { views, sections } = counts;
  const records = [...counts.byFurthest.values()].reduce((sum, n) => sum + n, 0);
  const reached = (section: number) =>
    [...counts.byFurthest]
      .filter(([furthest]) => Math.min(furthest, sections.length) >= section)
      .reduce((sum, [, n]) => sum + n, 0);
  const step = (kind: SectionStepKind, label: string, count: number): SectionStep => ({
    kind,
    label,
    count,
    share: ratio(count, views),
  });
  return {
    path: counts.path,
    title: counts.title,
    series: counts.series,
    seriesTitle: counts.seriesTitle,
    part: counts.part,
    views,
    records,
    withoutRecord: Math.max(0, views - records),
    steps: [
      step('views', stepLabels.views, views),
      ...sections.map((section, index) => step('section', section.title, reached(index + 1))),
      step('end', stepLabels.end, counts.endReached),
      step('invitation', stepLabels.invitation, counts.contactViews),
      step('contact', stepLabels.contact, counts.contacts),
    ],
    engaged: engagedBuckets.map((bucket) => ({
      bucket,
      name: engagedBucketNames[bucket],
      count: counts.engaged.get(bucket) ?? 0,
    })),
  };
}

/** Below this many views a part's weakest section says more about chance than about the text. */
export const weakestSectionMinViews = 20;

export interface WeakestSection {
  path: string;
  /** The part's title. */
  part: string;
  /** The section's title. */
  section: string;
  /** Views that reached the step before it (the views, for the first section). */
  before: number;
  /** Views that reached the section. */
  reached: number;
}

/**
 * The section with the largest drop from the step before it (the first of equal drops); null for
 * a part with fewer than 20 views, without sections, or where no section loses a reader.
 */
export function weakestSection(funnel: SectionFunnel): WeakestSection | null {
  if (funnel.views < weakestSectionMinViews) return null;
  let weakest: WeakestSection | null = null;
  funnel.steps.forEach((step, index) => {
    if (step.kind !== 'section') return;
    const before = funnel.steps[index - 1]!.count;
    const drop = before - step.count;
    if (drop > 0 && (weakest === null || drop > weakest.before - weakest.reached)) {
      weakest = { path: funnel.path, part: funnel.title, section: step.label, before, reached: step.count };
    }
  });
  return weakest;
}
