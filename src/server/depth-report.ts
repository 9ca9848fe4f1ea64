// The report's reading depth (src/lib/section-funnel.ts): per part of the period, the depth
// records by the furthest section they reached, the ones that reached the end, and by engaged-time
// bucket, with the part's sections as the pages table last knew them. Bounded by the parts of the
// site: the collector stores records only for a part, and only up to its number of sections.
import type { PageSection, EngagedBucket } from '../lib/reading-depth.ts';
import type { PageFigures } from '../lib/report-figures.ts';
import { sectionFunnel, type SectionFunnel } from '../lib/section-funnel.ts';
import type { Sql } from './database.ts';

export interface DepthCounts {
  sections: Map<string, PageSection[]>;
  byFurthest: Map<string, Map<number, number>>;
  ended: Map<string, number>;
  engaged: Map<string, Map<EngagedBucket, number>>;
}

const nested = <K>(rows: { path: string; key: K; n: number }[]) => {
  const byPath = new Map<string, Map<K, number>>();
  for (const { path, key, n } of rows) {
    const counts = byPath.get(path) ?? new Map<K, number>();
    counts.set(key, Number(n));
    byPath.set(path, counts);
  }
  return byPath;
};

/** A page's sections as stored (JSON), or none when unreadable. */
function parseSections(text: string | null): PageSection[] {
  try {
    const parsed: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(parsed) ? (parsed as PageSection[]) : [];
  } catch {
    return [];
  }
}

export async function readDepthCounts(sql: Sql, range: { from: string; to: string }): Promise<DepthCounts> {
  const [pages, furthest, engaged] = await Promise.all([
    sql.all<{ path: string; sections: string | null }>(
      `SELECT path, sections FROM pages WHERE kind = 'part' AND sections IS NOT NULL`,
    ),
    sql.all<{ path: string; key: number; n: number; ended: number }>(
      `SELECT path, furthest AS key, COUNT(*) AS n, COUNT(*) FILTER (WHERE end_reached = 1) AS ended
       FROM reading_depth WHERE day BETWEEN $from AND $to GROUP BY path, furthest`,
      range,
    ),
    sql.all<{ path: string; key: EngagedBucket; n: number }>(
      `SELECT path, engaged AS key, COUNT(*) AS n
       FROM reading_depth WHERE day BETWEEN $from AND $to GROUP BY path, engaged`,
      range,
    ),
  ]);
  const ended = new Map<string, number>();
  for (const row of furthest) ended.set(row.path, (ended.get(row.path) ?? 0) + Number(row.ended));
  return {
    sections: new Map(pages.map((page) => [page.path, parseSections(page.sections)])),
    byFurthest: nested(furthest),
    ended,
    engaged: nested(engaged),
  };
}

/**
 * The section funnel of every part with views or depth records in the period, in the report's
 * order of pages. Contact: the part's contact clicks and the follows from its form.
 */
export function partSectionFunnels(
  pages: readonly PageFigures[],
  follows: ReadonlyMap<string, number>,
  depth: DepthCounts,
): SectionFunnel[] {
  return pages
    .filter((page) => page.kind === 'part' && (page.views > 0 || depth.byFurthest.has(page.path)))
    .map((page) =>
      sectionFunnel({
        path: page.path,
        title: page.title,
        series: page.series,
        seriesTitle: page.seriesTitle,
        part: page.part,
        sections: depth.sections.get(page.path) ?? [],
        views: page.views,
        byFurthest: depth.byFurthest.get(page.path) ?? new Map(),
        endReached: depth.ended.get(page.path) ?? 0,
        engaged: depth.engaged.get(page.path) ?? new Map(),
        contactViews: page.contactViews,
        contacts: page.clicks + (follows.get(page.path) ?? 0),
      }),
    );
}
