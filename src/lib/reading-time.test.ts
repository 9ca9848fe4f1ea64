import { describe, expect, it } from 'vitest';
import { countWords, readingMinutes } from './reading-time.ts';

describe('countWords', () => {
  it('counts the words of plain prose', () => {
    expect(countWords('De gemeente zet de inwoner centraal.')).toBe(6);
  });

  it('ignores Markdown syntax but keeps the words it marks', () => {
    const body = '## Een kop\n\n- **vet** en _schuin_\n- [een link](https://example.com/pad)\n';
    expect(countWords(body)).toBe(7);
  });

  it('leaves out imports, components, expressions and bare URLs', () => {
    const body = [
      "import Figure from '../Figure.astro';",
      '',
      '<ModelFigure />',
      '',
      'Tekst {1 + 1} met <abbr title="informatie en automatisering">I&A</abbr> erin.',
      'Zie https://example.com voor meer.',
    ].join('\n');
    expect(countWords(body)).toBe(7);
  });

  it('counts nothing in an empty body or in punctuation alone', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  \n - — … \n')).toBe(0);
  });
});

describe('readingMinutes', () => {
  it('rounds up to whole minutes', () => {
    expect(readingMinutes(200, 200)).toBe(1);
    expect(readingMinutes(201, 200)).toBe(2);
    expect(readingMinutes(799, 200)).toBe(4);
  });

  it('is at least one minute, also for an empty part', () => {
    expect(readingMinutes(0, 200)).toBe(1);
    expect(readingMinutes(5, 200)).toBe(1);
  });

  it('follows the configured speed', () => {
    expect(readingMinutes(600, 300)).toBe(2);
  });

  it('refuses a speed that is not positive', () => {
    expect(() => readingMinutes(100, 0)).toThrow(RangeError);
  });
});
