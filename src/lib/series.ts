// Series order and integrity: plain functions over part numbers, shared by the pages and by the
// content check that runs before every build.
import { formatDutchMonth } from './dates.ts';

export interface NumberedPart {
  /** Content file, as shown to editors in error messages. */
  file: string;
  series: string;
  part: number;
}

export interface IntegrityProblem {
  file: string;
  message: string;
}

/** Parts in reading order. */
export function byPartNumber<T extends { part: number }>(parts: readonly T[]): T[] {
  return [...parts].sort((a, b) => a.part - b.part);
}

/**
 * Published parts of one series must be numbered 1, 2, 3, ... without doubles or gaps, so that
 * "Deel X van N" and previous/next are never wrong.
 */
export function seriesIntegrityProblems(parts: readonly NumberedPart[]): IntegrityProblem[] {
  const problems: IntegrityProblem[] = [];
  const bySeries = Map.groupBy(parts, (part) => part.series);

  for (const [series, members] of bySeries) {
    const byNumber = Map.groupBy(byPartNumber(members), (part) => part.part);

    for (const [number, same] of byNumber) {
      if (same.length < 2) continue;
      const files = same.map((part) => part.file);
      for (const part of same) {
        const others = files.filter((file) => file !== part.file).join(' en ');
        problems.push({
          file: part.file,
          message: `deel ${number} van reeks "${series}" bestaat twee keer: ${part.file} en ${others}. Geef elk deel een eigen nummer.`,
        });
      }
    }

    const numbers = [...byNumber.keys()];
    const highest = Math.max(...numbers);
    for (let missing = 1; missing <= highest; missing++) {
      if (byNumber.has(missing)) continue;
      const next = numbers.find((number) => number > missing)!;
      for (const part of byNumber.get(next)!) {
        problems.push({
          file: part.file,
          message: `deel ${missing} van reeks "${series}" ontbreekt, maar deel ${next} is gepubliceerd. Publiceer deel ${missing} eerst of nummer de delen opnieuw.`,
        });
      }
    }
  }
  return problems;
}

export interface Neighbours<T> {
  previous?: T;
  next?: T;
}

/** The parts before and after `current` in reading order. */
export function neighbours<T extends { part: number }>(parts: readonly T[], current: number): Neighbours<T> {
  const ordered = byPartNumber(parts);
  const index = ordered.findIndex((part) => part.part === current);
  if (index === -1) return {};
  return { previous: ordered[index - 1], next: ordered[index + 1] };
}

export interface OutlineEntry<T> {
  part: number;
  title: string;
  /** The published part; absent for a part that is only announced. */
  published?: T;
  /** For an announced part: the month it is expected, YYYY-MM, when the series gives one. */
  expected?: string;
}

export interface PlannedPart {
  part: number;
  title: string;
  expected?: string;
}

/**
 * The whole series at a glance: published parts, plus announced parts that are not out yet.
 * Its length is the N in "Deel X van N".
 */
export function seriesOutline<T extends { part: number; title: string }>(
  published: readonly T[],
  planned: readonly PlannedPart[] = [],
): OutlineEntry<T>[] {
  const entries = new Map<number, OutlineEntry<T>>();
  for (const announced of planned) entries.set(announced.part, { ...announced });
  for (const part of published)
    entries.set(part.part, { part: part.part, title: part.title, published: part });
  return byPartNumber([...entries.values()]);
}

/**
 * What readers see next to an announced part: "verwacht in maart 2027", or "binnenkort" when the
 * series gives no month or the month has passed (then the month would only be wrong).
 * `today` is YYYY-MM-DD.
 */
export function announcement(expected: string | undefined, today: string): string {
  if (!expected || expected < today.slice(0, 7)) return 'binnenkort';
  return `verwacht in ${formatDutchMonth(expected)}`;
}
