import { describe, expect, it } from 'vitest';
import { announcement, byPartNumber, neighbours, seriesIntegrityProblems, seriesOutline } from './series.ts';

const part = (series: string, number: number, file = `${series}/${number}.mdx`) => ({
  series,
  part: number,
  file,
});

describe('byPartNumber', () => {
  it('orders parts by number, whatever the order of the files', () => {
    const ordered = byPartNumber([part('a', 3), part('a', 1), part('a', 2)]);
    expect(ordered.map((p) => p.part)).toEqual([1, 2, 3]);
  });
});

describe('seriesIntegrityProblems', () => {
  it('accepts parts numbered 1..N, in any file order, per series', () => {
    expect(seriesIntegrityProblems([part('a', 2), part('a', 1), part('b', 1), part('a', 3)])).toEqual([]);
  });

  it('accepts no parts at all', () => {
    expect(seriesIntegrityProblems([])).toEqual([]);
  });

  it('names both files when two parts share a number', () => {
    const problems = seriesIntegrityProblems([
      part('a', 1),
      part('a', 2, 'a/twee.mdx'),
      part('a', 2, 'a/nog-een-twee.mdx'),
    ]);
    expect(problems).toHaveLength(2);
    for (const problem of problems) {
      expect(problem.message).toContain('deel 2');
      expect(problem.message).toContain('a/twee.mdx');
      expect(problem.message).toContain('a/nog-een-twee.mdx');
    }
    expect(problems.map((p) => p.file).sort()).toEqual(['a/nog-een-twee.mdx', 'a/twee.mdx']);
  });

  it('names the missing number of a gap, on the part after it', () => {
    const problems = seriesIntegrityProblems([part('a', 1), part('a', 3)]);
    expect(problems).toEqual([
      { file: 'a/3.mdx', message: expect.stringContaining('deel 2 van reeks "a" ontbreekt') },
    ]);
  });

  it('reports a series that does not start at part 1', () => {
    const problems = seriesIntegrityProblems([part('a', 2)]);
    expect(problems[0]?.message).toContain('deel 1 van reeks "a" ontbreekt');
  });

  it('reports every missing number of a wider gap', () => {
    const problems = seriesIntegrityProblems([part('a', 1), part('a', 4)]);
    expect(problems.map((p) => p.message.match(/deel (\d)/)?.[1])).toEqual(['2', '3']);
  });

  it('keeps series apart: the same number in two series is fine', () => {
    expect(seriesIntegrityProblems([part('a', 1), part('b', 1)])).toEqual([]);
  });
});

describe('neighbours', () => {
  const parts = [part('a', 2), part('a', 3), part('a', 1)];

  it('gives no previous part for the first and no next for the last', () => {
    expect(neighbours(parts, 1)).toEqual({ previous: undefined, next: parts[0] });
    expect(neighbours(parts, 3)).toEqual({ previous: parts[0], next: undefined });
  });

  it('gives both around a middle part', () => {
    expect(neighbours(parts, 2)).toEqual({ previous: parts[2], next: parts[1] });
  });

  it('gives nothing for a part that is not in the list', () => {
    expect(neighbours(parts, 9)).toEqual({});
  });
});

describe('seriesOutline', () => {
  const published = [
    { part: 2, title: 'Twee' },
    { part: 1, title: 'Een' },
  ];

  it('lists published parts in order', () => {
    expect(seriesOutline(published).map((e) => [e.part, e.title, !!e.published])).toEqual([
      [1, 'Een', true],
      [2, 'Twee', true],
    ]);
  });

  it('adds announced parts that are not published yet, without a published part', () => {
    const outline = seriesOutline(published, [
      { part: 2, title: 'Twee (aangekondigd)' },
      { part: 3, title: 'Drie' },
    ]);
    expect(outline.map((e) => [e.part, e.title, !!e.published])).toEqual([
      [1, 'Een', true],
      [2, 'Twee', true],
      [3, 'Drie', false],
    ]);
  });

  it('keeps the month an announced part is expected', () => {
    const outline = seriesOutline(published, [{ part: 3, title: 'Drie', expected: '2027-03' }]);
    expect(outline.at(-1)).toEqual({ part: 3, title: 'Drie', expected: '2027-03' });
  });
});

describe('announcement', () => {
  it('names the month a part is expected', () => {
    expect(announcement('2027-03', '2026-12-02')).toBe('verwacht in maart 2027');
  });

  it('still names the month during that month', () => {
    expect(announcement('2026-12', '2026-12-31')).toBe('verwacht in december 2026');
  });

  it('says "binnenkort" without a month, or once the month has passed', () => {
    expect(announcement(undefined, '2026-12-02')).toBe('binnenkort');
    expect(announcement('2026-11', '2026-12-01')).toBe('binnenkort');
  });
});
