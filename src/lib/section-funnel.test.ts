import { describe, expect, it } from 'vitest';
import { sectionFunnel, weakestSection, type PartDepthCounts } from './section-funnel.ts';

const sections = [
  { id: 'inleiding', title: 'Inleiding' },
  { id: 'de-kern', title: 'De kern' },
  { id: 'verder', title: 'Verder' },
  { id: 'tot-slot', title: 'Tot slot' },
];

const counts = (overrides: Partial<PartDepthCounts> = {}): PartDepthCounts => ({
  path: '/reeks/deel-1/',
  title: 'Deel één',
  series: 'reeks',
  seriesTitle: 'Reeks',
  part: 1,
  sections,
  views: 2,
  byFurthest: new Map([
    [3, 1],
    [4, 1],
  ]),
  endReached: 1,
  engaged: new Map([
    ['10-30s', 1],
    ['1-3m', 1],
  ]),
  contactViews: 1,
  contacts: 0,
  ...overrides,
});

describe('sectionFunnel', () => {
  it('counts a view for every section up to the furthest it reached, then the end, the invitation and contact', () => {
    const funnel = sectionFunnel(counts());
    expect(funnel.steps.map((step) => [step.label, step.count])).toEqual([
      ['Weergaven', 2],
      ['Inleiding', 2],
      ['De kern', 2],
      ['Verder', 2],
      ['Tot slot', 1],
      ['Einde van het artikel', 1],
      ['Uitnodiging gezien', 1],
      ['Contact of volgen', 0],
    ]);
    expect(funnel.steps[4]!.share).toEqual({ value: 0.5, unreliable: false });
    expect(funnel).toMatchObject({ views: 2, records: 2, withoutRecord: 0 });
  });

  it('counts views without a depth record as having reached no section', () => {
    const funnel = sectionFunnel(counts({ views: 10 }));
    expect(funnel.withoutRecord).toBe(8);
    expect(funnel.steps.slice(0, 3).map((step) => step.count)).toEqual([10, 2, 2]);
  });

  it('counts a record past the last section (the part lost one since) for the last, and none for records that reached nothing', () => {
    const funnel = sectionFunnel(
      counts({
        views: 3,
        byFurthest: new Map([
          [0, 1],
          [9, 2],
        ]),
      }),
    );
    expect(funnel.steps.filter((step) => step.kind === 'section').map((step) => step.count)).toEqual([
      2, 2, 2, 2,
    ]);
    expect(funnel.records).toBe(3);
  });

  it('gives every engaged-time bucket, in order, also the empty ones', () => {
    expect(sectionFunnel(counts()).engaged).toEqual([
      { bucket: 'under-10s', name: 'minder dan 10 s', count: 0 },
      { bucket: '10-30s', name: '10–30 s', count: 1 },
      { bucket: '30s-1m', name: '30 s–1 min', count: 0 },
      { bucket: '1-3m', name: '1–3 min', count: 1 },
      { bucket: '3-10m', name: '3–10 min', count: 0 },
      { bucket: 'over-10m', name: 'meer dan 10 min', count: 0 },
    ]);
  });

  it('marks a step with more than the views as unreliable', () => {
    const funnel = sectionFunnel(counts({ views: 1 }));
    expect(funnel.steps[1]!.share).toEqual({ value: 1, unreliable: true });
    expect(funnel.withoutRecord).toBe(0);
  });
});

describe('weakestSection', () => {
  const busy = counts({
    views: 40,
    byFurthest: new Map([
      [0, 5],
      [1, 3],
      [2, 20],
      [4, 12],
    ]),
  });

  it('is the section with the largest drop from the step before it', () => {
    // Reached: Inleiding 35 (-5), De kern 32 (-3), Verder 12 (-20), Tot slot 12 (0).
    expect(weakestSection(sectionFunnel(busy))).toEqual({
      path: '/reeks/deel-1/',
      part: 'Deel één',
      section: 'Verder',
      before: 32,
      reached: 12,
    });
  });

  it('counts the drop of the first section from the views', () => {
    const funnel = sectionFunnel(counts({ views: 30, byFurthest: new Map([[4, 2]]) }));
    expect(weakestSection(funnel)).toMatchObject({ section: 'Inleiding', before: 30, reached: 2 });
  });

  it('takes the first of equal drops', () => {
    const funnel = sectionFunnel(
      counts({
        views: 30,
        byFurthest: new Map([
          [0, 10],
          [1, 10],
          [4, 10],
        ]),
      }),
    );
    // Inleiding 20 (-10), De kern 10 (-10).
    expect(weakestSection(funnel)).toMatchObject({ section: 'Inleiding', before: 30, reached: 20 });
  });

  it('is null below 20 views, without sections, or when no section loses a reader', () => {
    expect(weakestSection(sectionFunnel(counts({ views: 19 })))).toBeNull();
    expect(weakestSection(sectionFunnel({ ...busy, sections: [] }))).toBeNull();
    expect(weakestSection(sectionFunnel(counts({ views: 20, byFurthest: new Map([[4, 20]]) })))).toBeNull();
  });
});
