import { describe, expect, it } from 'vitest';
import { change, groupBy, seriesFunnels, type PartCounts, type SourceRow } from './report-figures.ts';

const row = (
  source: string,
  campaign: string | null,
  views: number,
  contactViews: number,
  clicks: number,
): SourceRow => ({
  source,
  medium: null,
  campaign,
  views,
  contactViews,
  clicks,
});

describe('groupBy', () => {
  const rows = [
    row('linkedin', 'najaar', 10, 4, 2),
    row('linkedin', null, 5, 1, 0),
    row('direct', null, 20, 2, 1),
    row('nieuwsbrief', 'najaar', 3, 3, 3),
  ];

  it('sums per source, most views first, with the click ratio over views', () => {
    expect(groupBy(rows, 'source')).toEqual([
      { name: 'direct', views: 20, contactViews: 2, clicks: 1, ctr: 0.05 },
      { name: 'linkedin', views: 15, contactViews: 5, clicks: 2, ctr: 2 / 15 },
      { name: 'nieuwsbrief', views: 3, contactViews: 3, clicks: 3, ctr: 1 },
    ]);
  });

  it('sums per campaign, leaving out what had none', () => {
    expect(groupBy(rows, 'campaign')).toEqual([
      { name: 'najaar', views: 13, contactViews: 7, clicks: 5, ctr: 5 / 13 },
    ]);
  });

  it('gives no ratio without views', () => {
    expect(groupBy([row('direct', null, 0, 0, 1)], 'source')[0]!.ctr).toBeNull();
  });
});

describe('seriesFunnels', () => {
  const part = (series: string, number: number, views: number, readOnIn: number, clicks = 0): PartCounts => ({
    series,
    seriesTitle: series === 'a' ? 'Alfa' : 'Beta',
    part: number,
    path: `/${series}/${number}/`,
    title: `Deel ${number}`,
    views,
    readOnIn,
    clicks,
  });

  it('counts the read-on of part n as the views of part n+1 that came from part n, and contact at the end', () => {
    const [alfa] = seriesFunnels([part('a', 2, 40, 25, 1), part('a', 1, 100, 0, 2), part('a', 3, 20, 10, 4)]);
    expect(alfa!.title).toBe('Alfa');
    expect(alfa!.parts.map((step) => [step.part, step.views, step.readOn, step.readOnShare])).toEqual([
      [1, 100, 25, 0.25],
      [2, 40, 10, 0.25],
      [3, 20, null, null],
    ]);
    expect(alfa!.contactAtEnd).toBe(4);
  });

  it('counts no read-on across a missing part, and none without views', () => {
    const [beta] = seriesFunnels([part('b', 1, 0, 0), part('b', 3, 5, 2)]);
    expect(beta!.parts[0]).toMatchObject({ readOn: 0, readOnShare: null });
  });

  it('makes one funnel per series, by title', () => {
    expect(seriesFunnels([part('b', 1, 1, 0), part('a', 1, 1, 0)]).map((funnel) => funnel.title)).toEqual([
      'Alfa',
      'Beta',
    ]);
  });
});

describe('change', () => {
  it('is the fraction since the period before, and null when there was nothing before', () => {
    expect(change(112, 100)).toBeCloseTo(0.12);
    expect(change(50, 100)).toBe(-0.5);
    expect(change(5, 0)).toBeNull();
  });
});
