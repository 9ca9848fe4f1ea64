import { describe, expect, it } from 'vitest';
import { change, ratio, seriesFunnels, type PartCounts } from './report-figures.ts';

describe('ratio', () => {
  it('is the share of the part in the whole, and null without a whole', () => {
    expect(ratio(1, 4)).toEqual({ value: 0.25, unreliable: false });
    expect(ratio(4, 4)).toEqual({ value: 1, unreliable: false });
    expect(ratio(0, 0)).toEqual({ value: null, unreliable: false });
  });

  it('never exceeds 100%: a part larger than its whole is capped and marked unreliable', () => {
    expect(ratio(4, 1)).toEqual({ value: 1, unreliable: true });
    expect(ratio(12, 5)).toEqual({ value: 1, unreliable: true });
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
    contactViews: 0,
    clicks,
    follows: number,
  });

  it('counts the read-on of part n as the views of part n+1 that came from part n, and contact at the end', () => {
    const [alfa] = seriesFunnels([part('a', 2, 40, 25, 1), part('a', 1, 100, 0, 2), part('a', 3, 20, 10, 4)]);
    expect(alfa!.title).toBe('Alfa');
    expect(alfa!.parts.map((step) => [step.part, step.views, step.readOn, step.readOnShare?.value])).toEqual([
      [1, 100, 25, 0.25],
      [2, 40, 10, 0.25],
      [3, 20, null, undefined],
    ]);
    expect(alfa!.contactAtEnd).toBe(4);
  });

  it('counts no read-on across a missing part, and none without views', () => {
    const [beta] = seriesFunnels([part('b', 1, 0, 0), part('b', 3, 5, 2)]);
    expect(beta!.parts[0]).toMatchObject({ readOn: 0, readOnShare: { value: null } });
  });

  it('caps a read-on larger than the views of the part before at 100%, marked unreliable', () => {
    // Forged: four views of part 2 "from part 1", which was seen once.
    const [alfa] = seriesFunnels([part('a', 1, 1, 0), part('a', 2, 4, 4)]);
    expect(alfa!.parts[0]).toMatchObject({ readOn: 4, readOnShare: { value: 1, unreliable: true } });
  });

  it("ends each funnel in contact and follow: the follows per part, and the series' new followers of the period", () => {
    const [alfa, beta] = seriesFunnels(
      [part('a', 1, 10, 0), part('a', 2, 5, 3), part('b', 1, 1, 0)],
      new Map([['a', 7]]),
    );
    expect(alfa!.parts.map((step) => step.follows)).toEqual([1, 2]);
    expect(alfa!.followsInPeriod).toBe(7);
    expect(beta!.followsInPeriod).toBe(0);
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
