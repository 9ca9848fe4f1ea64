import { describe, expect, it } from 'vitest';
import { findPreview, findPublished, previewDays, previewKey, type PreviewEntry } from './previews.ts';

describe('the days a preview link lasts', () => {
  it('are 7 unless asked, and a whole number from 1 to 30', () => {
    expect(previewDays(undefined)).toBe(7);
    expect(previewDays('')).toBe(7);
    expect(previewDays('1')).toBe(1);
    expect(previewDays(' 30 ')).toBe(30);
    for (const wrong of ['0', '31', '-1', '2.5', 'zeven', '1e1', '007'])
      expect(previewDays(wrong)).toBeUndefined();
  });
});

describe('a preview named by an editor', () => {
  const entry: PreviewEntry = {
    id: 'digitale-transformatie/concept-vierde-deel',
    key: previewKey('digitale-transformatie/concept-vierde-deel'),
    title: 'Concept',
    url: '/digitale-transformatie/concept-vierde-deel/',
    date: '2020-10-01',
    draft: true,
  };
  it('is found by id, file name, key or address', () => {
    for (const name of [
      entry.id,
      'concept-vierde-deel',
      'concept-vierde-deel.mdx',
      entry.key,
      '/digitale-transformatie/concept-vierde-deel/',
      'https://reeks.example.nl/digitale-transformatie/concept-vierde-deel/',
    ])
      expect(findPreview([entry], name)).toBe(entry);
    expect(findPreview([entry], 'iets-anders')).toBeUndefined();
  });
  it('has a key that stays the same and is safe in a file name', () => {
    expect(previewKey(entry.id)).toBe(entry.key);
    expect(entry.key).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('a published post named by an editor', () => {
  const published = {
    'testreeks/eerste-deel': '/testreeks/eerste-deel/',
    'los-artikel': '/artikelen/los-artikel/',
  };
  it('is found by id, file name or address', () => {
    expect(findPublished(published, 'eerste-deel')).toBe('/testreeks/eerste-deel/');
    expect(findPublished(published, 'los-artikel.mdx')).toBe('/artikelen/los-artikel/');
    expect(findPublished(published, '/artikelen/los-artikel/')).toBe('/artikelen/los-artikel/');
    expect(findPublished(published, 'derde-deel')).toBeUndefined();
  });
});
