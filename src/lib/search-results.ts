// What the search interface says about results, as plain functions: the summary a reader sees
// and hears, a result's details line, the filter groups and the filter object Pagefind takes.

const count = new Intl.NumberFormat('nl-NL');

/** "Geen resultaten voor x", "1 resultaat voor x", "10.000 resultaten voor x". */
export function resultSummary(total: number, term: string): string {
  if (total === 0) return `Geen resultaten voor ${term}`;
  return `${count.format(total)} ${total === 1 ? 'resultaat' : 'resultaten'} voor ${term}`;
}

/** The label of the button that shows the next results: "Meer resultaten (5 van 12 getoond)". */
export function moreLabel(shown: number, total: number): string {
  return `Meer resultaten (${count.format(shown)} van ${count.format(total)} getoond)`;
}

/** A result's metadata as the build indexes it (PostLayout.astro, PostMeta.astro). */
export interface ResultMeta {
  title?: string;
  reeks?: string;
  deel?: string;
  datum?: string;
  leestijd?: string;
}

/** "Digitale transformatie · Deel 1 · 21 april 2020 · 6 min leestijd"; what a post lacks is left out. */
export function resultDetails(meta: ResultMeta): string {
  return [meta.reeks, meta.deel, meta.datum, meta.leestijd].filter(Boolean).join(' · ');
}

/** The filters the build indexes (data-pagefind-filter), in the order the search page shows them. */
export const filterGroups = [
  { key: 'reeks', label: 'Reeks' },
  { key: 'dienst', label: 'Dienst' },
  { key: 'auteur', label: 'Auteur' },
] as const;

export type FilterSelection = Record<string, readonly string[]>;

/**
 * Pagefind's filter object: a page matches a group when it has any of the values checked in it,
 * and every group with a checked value. Groups with nothing checked are left out.
 */
export function pagefindFilters(selection: FilterSelection): Record<string, { any: string[] }> {
  return Object.fromEntries(
    Object.entries(selection)
      .filter(([, values]) => values.length > 0)
      .map(([key, values]) => [key, { any: [...values] }]),
  );
}
