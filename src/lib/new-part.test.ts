import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { frontmatterOf } from './content-files.ts';
import { nextPartNumber, partFile, slugify } from './new-part.ts';

describe('slugify', () => {
  it('makes a lowercase file name of words and hyphens', () => {
    expect(slugify('Kansen en impact voor de dienstverlening')).toBe(
      'kansen-en-impact-voor-de-dienstverlening',
    );
  });

  it('spells out & and drops accents and punctuation', () => {
    expect(slugify('Gevolgen voor de I&A-organisatie')).toBe('gevolgen-voor-de-i-en-a-organisatie');
    expect(slugify('  Hoe één coöperatie “werkt”?  ')).toBe('hoe-een-cooperatie-werkt');
  });
});

describe('nextPartNumber', () => {
  it('starts a series at 1 and otherwise follows the highest number', () => {
    expect(nextPartNumber([])).toBe(1);
    expect(nextPartNumber([1, 2, 3])).toBe(4);
    expect(nextPartNumber([3, 1])).toBe(4);
  });
});

describe('partFile', () => {
  const file = partFile({
    title: 'Data: de nieuwe grondstof',
    date: '2026-11-29',
    author: 'job-coenen',
    services: ['i-visie-en-beleid'],
    series: 'digitale-transformatie',
    part: 4,
  });

  it('has complete frontmatter, marked as draft, that YAML reads back', () => {
    expect(parse(frontmatterOf(file)!)).toEqual({
      title: 'Data: de nieuwe grondstof',
      description: expect.any(String),
      date: '2026-11-29',
      author: 'job-coenen',
      services: ['i-visie-en-beleid'],
      series: 'digitale-transformatie',
      part: 4,
      draft: true,
    });
  });

  it('has a body skeleton with sections', () => {
    expect(file.match(/^## /gm)).toHaveLength(3);
  });

  it('is written the way the browser editor writes files, so its first save there changes nothing else', () => {
    // js-yaml's defaults, as Keystatic uses them: quotes only where YAML needs them, the date as
    // a plain day, lists indented; the text starts right after the closing ---.
    expect(file).toMatch(
      /^---\ntitle: 'Data: de nieuwe grondstof'\ndescription: [^\n]+\ndate: 2026-11-29\nauthor: job-coenen\nservices:\n {2}- i-visie-en-beleid\nseries: digitale-transformatie\npart: 4\ndraft: true\n---\nBegin met /,
    );
    expect(file).toMatch(/[^\n]\n$/);
  });
});
