// Reading depth of one page view of a part, as the browser reports it (src/client/reading-depth.ts)
// and the collector stores it (src/server/depth-store.ts): how many of the part's sections had the
// top of their heading on screen, whether the last paragraph did, and the engaged time, counted in
// 5-second windows and stored only as one of a few buckets. Pure, tested in reading-depth.test.ts.

/** A section of a part: one h2 heading of its body, by its anchor id and its text. */
export interface PageSection {
  id: string;
  title: string;
}

/** How long a window of engaged time is: the tab visible, and the reader scrolled, typed, pointed or touched. */
export const engagedWindowSeconds = 5;

/** A day of windows: more is refused. */
export const maxEngagedWindows = (24 * 60 * 60) / engagedWindowSeconds;

/** The engaged-time buckets, shortest first, with the seconds each starts at. */
export const engagedBuckets = ['under-10s', '10-30s', '30s-1m', '1-3m', '3-10m', 'over-10m'] as const;
export type EngagedBucket = (typeof engagedBuckets)[number];

const bucketStarts: Record<EngagedBucket, number> = {
  'under-10s': 0,
  '10-30s': 10,
  '30s-1m': 30,
  '1-3m': 60,
  '3-10m': 180,
  'over-10m': 600,
};

/** How the report names each bucket. */
export const engagedBucketNames: Record<EngagedBucket, string> = {
  'under-10s': 'minder dan 10 s',
  '10-30s': '10–30 s',
  '30s-1m': '30 s–1 min',
  '1-3m': '1–3 min',
  '3-10m': '3–10 min',
  'over-10m': 'meer dan 10 min',
};

/** The bucket of `windows` engaged 5-second windows: 2 windows are 10 s, so "10–30 s". */
export function engagedBucket(windows: number): EngagedBucket {
  const seconds = windows * engagedWindowSeconds;
  return engagedBuckets.findLast((bucket) => seconds >= bucketStarts[bucket]) ?? 'under-10s';
}

/** One page view's depth, as stored: nothing about the reader, and no time of day. */
export interface DepthRecord {
  /** The random id the page made for this view, kept only in its memory. */
  view: string;
  path: string;
  author: string;
  series: string | null;
  part: number | null;
  /** How many sections were reached: the furthest one's number, 1 for the first; 0 for none. */
  furthest: number;
  endReached: boolean;
  engaged: EngagedBucket;
}
