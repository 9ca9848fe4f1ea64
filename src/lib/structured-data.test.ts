import { describe, expect, it } from 'vitest';
import { blogPosting, breadcrumbList, creativeWorkSeries, isoDuration, jsonLd } from './structured-data.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('isoDuration', () => {
  it('writes whole minutes as an ISO 8601 duration', () => {
    expect(isoDuration(4)).toBe('PT4M');
    expect(isoDuration(12)).toBe('PT12M');
  });
});

describe('blogPosting', () => {
  const base = {
    url: 'https://example.com/reeks/deel/',
    title: 'Deel',
    description: 'Over iets.',
    date: day('2020-04-21'),
    readingMinutes: 5,
    author: { name: 'Job Coenen', url: 'https://example.com/auteurs/job-coenen/', role: 'Consultant' },
    language: 'nl',
  };

  it('describes a part with its author, dates, reading time and place in the series', () => {
    const data = blogPosting({
      ...base,
      series: { title: 'Reeks', url: 'https://example.com/reeks/', part: 2 },
    });
    expect(data).toMatchObject({
      '@type': 'BlogPosting',
      datePublished: '2020-04-21',
      dateModified: '2020-04-21',
      timeRequired: 'PT5M',
      author: { '@type': 'Person', name: 'Job Coenen' },
      position: 2,
      isPartOf: { '@type': 'CreativeWorkSeries', name: 'Reeks', url: 'https://example.com/reeks/' },
    });
  });

  it('uses the update as dateModified and leaves out the series of a standalone post', () => {
    const data = blogPosting({ ...base, updated: day('2021-01-02') });
    expect(data.dateModified).toBe('2021-01-02');
    expect(data).not.toHaveProperty('isPartOf');
    expect(data).not.toHaveProperty('position');
  });
});

describe('creativeWorkSeries', () => {
  it('lists its parts with their positions', () => {
    const data = creativeWorkSeries({
      url: 'https://example.com/reeks/',
      title: 'Reeks',
      description: 'Een reeks.',
      language: 'nl',
      parts: [{ url: 'https://example.com/reeks/een/', title: 'Een', part: 1, date: day('2020-04-21') }],
    });
    expect(data.hasPart).toEqual([
      {
        '@type': 'BlogPosting',
        url: 'https://example.com/reeks/een/',
        headline: 'Een',
        position: 1,
        datePublished: '2020-04-21',
      },
    ]);
  });
});

describe('breadcrumbList', () => {
  it('numbers the steps from 1', () => {
    const data = breadcrumbList([
      { name: 'Home', url: 'https://example.com/' },
      { name: 'Reeks', url: 'https://example.com/reeks/' },
    ]);
    expect(data.itemListElement).toEqual([
      { '@type': 'ListItem', position: 1, name: 'Home', item: 'https://example.com/' },
      { '@type': 'ListItem', position: 2, name: 'Reeks', item: 'https://example.com/reeks/' },
    ]);
  });
});

describe('jsonLd', () => {
  it('cannot close the script element it is written into', () => {
    const json = jsonLd({ headline: '</script><script>alert(1)</script>' });
    expect(json).not.toContain('</script>');
    expect(JSON.parse(json).headline).toBe('</script><script>alert(1)</script>');
  });
});
