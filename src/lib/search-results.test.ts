import { describe, expect, it } from 'vitest';
import { moreLabel, pagefindFilters, resultDetails, resultSummary } from './search-results.ts';

describe('resultSummary', () => {
  it('says there is nothing, one result or how many, in Dutch', () => {
    expect(resultSummary(0, 'kwispel')).toBe('Geen resultaten voor kwispel');
    expect(resultSummary(1, 'beleid')).toBe('1 resultaat voor beleid');
    expect(resultSummary(3, 'beleid')).toBe('3 resultaten voor beleid');
  });

  it('groups thousands the Dutch way', () => {
    expect(resultSummary(10_000, 'gemeente')).toBe('10.000 resultaten voor gemeente');
    expect(moreLabel(5, 10_000)).toBe('Meer resultaten (5 van 10.000 getoond)');
  });
});

describe('resultDetails', () => {
  it('joins series, part, date and reading time', () => {
    expect(
      resultDetails({
        title: 'T',
        reeks: 'Digitale transformatie',
        deel: 'Deel 1',
        datum: '21 april 2020',
        leestijd: '6 min leestijd',
      }),
    ).toBe('Digitale transformatie · Deel 1 · 21 april 2020 · 6 min leestijd');
  });

  it('leaves out what a standalone post lacks', () => {
    expect(resultDetails({ title: 'T', datum: '1 mei 2021', leestijd: '3 min leestijd' })).toBe(
      '1 mei 2021 · 3 min leestijd',
    );
  });
});

describe('pagefindFilters', () => {
  it('matches any checked value within a group, and leaves out empty groups', () => {
    expect(pagefindFilters({ reeks: ['A', 'B'], dienst: [], auteur: ['Mira Jansen'] })).toEqual({
      reeks: { any: ['A', 'B'] },
      auteur: { any: ['Mira Jansen'] },
    });
    expect(pagefindFilters({})).toEqual({});
  });
});
