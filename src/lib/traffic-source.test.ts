import { describe, expect, it } from 'vitest';
import {
  campaignTags,
  cleanTag,
  internalPath,
  isReadOn,
  referrerHost,
  trafficSource,
} from './traffic-source.ts';

const hosts = ['reeks.example.com', 'localhost:4321'];

describe('cleanTag', () => {
  it.each([
    ['LinkedIn', 'linkedin'],
    ['  Najaar 2026 ', 'najaar-2026'],
    ['nieuws_brief.v2', 'nieuws_brief.v2'],
    ['<script>alert(1)</script>', 'scriptalert1script'],
    ['café', 'caf'],
    ['%%%', null],
    ['-._', null],
    ['', null],
    [undefined, null],
  ])('%j → %j', (input, expected) => expect(cleanTag(input)).toBe(expected));

  it('keeps at most 60 characters', () => expect(cleanTag('a'.repeat(500))).toBe('a'.repeat(60)));
});

describe('referrerHost', () => {
  it.each([
    ['https://www.linkedin.com/feed/?trk=abc', 'linkedin.com'],
    ['https://www.example.org/pad?geheim=1', 'example.org'],
    ['http://Nieuws.Gemeente.NL:8080/x#y', 'nieuws.gemeente.nl'],
    ['https://wwwx.example.org/', 'wwwx.example.org'],
    ['android-app://com.linkedin.android/', null],
    ['javascript:alert(1)', null],
    ['niet een adres', null],
    ['', null],
  ])('%j → %j', (input, expected) => expect(referrerHost(input)).toBe(expected));
});

describe('trafficSource', () => {
  it('takes the campaign tags first, cleaned', () => {
    expect(
      trafficSource({ utm_source: 'LinkedIn', utm_campaign: 'Najaar', referrer: 'https://t.co/x' }, hosts),
    ).toEqual({
      source: 'linkedin',
      medium: null,
      campaign: 'najaar',
    });
  });

  it('counts a tagged link without utm_source under its referrer', () => {
    expect(trafficSource({ utm_campaign: 'najaar', referrer: 'https://www.linkedin.com/' }, hosts)).toEqual({
      source: 'linkedin.com',
      medium: null,
      campaign: 'najaar',
    });
  });

  it('names an external referrer by its host only, a page of the site "intern", no referrer "direct"', () => {
    const source = (referrer: string | undefined) => trafficSource({ referrer }, hosts).source;
    expect(source('https://www.example.org/pad?geheim=1')).toBe('example.org');
    expect(source('https://reeks.example.com/digitale-transformatie/')).toBe('intern');
    expect(source('http://localhost:4321/')).toBe('intern');
    expect(source('')).toBe('direct');
    expect(source(undefined)).toBe('direct');
  });

  it('takes garbage for direct: a referrer that is not a URL, tags with nothing left', () => {
    expect(trafficSource({ referrer: '%%%', utm_source: '!!!' }, hosts)).toEqual({
      source: 'direct',
      medium: null,
      campaign: null,
    });
    expect(trafficSource({ referrer: 'file:///etc/passwd' }, hosts).source).toBe('direct');
  });
});

describe('campaignTags', () => {
  it('reads the tags of an address on the site, and nothing from another site', () => {
    expect(
      campaignTags('https://reeks.example.com/a/?utm_source=linkedin&utm_campaign=najaar&x=1', hosts),
    ).toEqual({
      utm_source: 'linkedin',
      utm_campaign: 'najaar',
    });
    expect(campaignTags('https://evil.example/a/?utm_source=linkedin', hosts)).toEqual({});
    expect(campaignTags(null, hosts)).toEqual({});
    expect(campaignTags('nonsense', hosts)).toEqual({});
  });
});

describe('isReadOn', () => {
  const parts = new Map([
    ['/reeks/een/', { series: 'reeks', part: 1 }],
    ['/reeks/twee/', { series: 'reeks', part: 2 }],
    ['/reeks/drie/', { series: 'reeks', part: 3 }],
    ['/andere/een/', { series: 'andere', part: 1 }],
  ]);
  const from = (path: string) => `https://reeks.example.com${path}`;
  const two = { series: 'reeks', part: 2 };

  it('is a view of part n+1 coming from part n of the same series, on this site', () => {
    expect(isReadOn(two, from('/reeks/een/'), hosts, parts)).toBe(true);
    expect(isReadOn({ series: 'reeks', part: 3 }, from('/reeks/twee/'), hosts, parts)).toBe(true);
  });

  it('is not a step back, a skipped part, another series, another site, or a page without a series', () => {
    expect(isReadOn(two, from('/reeks/drie/'), hosts, parts)).toBe(false);
    expect(isReadOn({ series: 'reeks', part: 3 }, from('/reeks/een/'), hosts, parts)).toBe(false);
    expect(isReadOn(two, from('/andere/een/'), hosts, parts)).toBe(false);
    expect(isReadOn(two, 'https://elders.example/reeks/een/', hosts, parts)).toBe(false);
    expect(isReadOn(two, from('/'), hosts, parts)).toBe(false);
    expect(isReadOn({}, from('/reeks/een/'), hosts, parts)).toBe(false);
    expect(isReadOn(two, undefined, hosts, parts)).toBe(false);
  });

  it('ignores the query and fragment of the previous part', () => {
    expect(isReadOn(two, from('/reeks/een/?utm_source=x#slot'), hosts, parts)).toBe(true);
  });

  it('exposes only the path of an internal referrer', () => {
    expect(internalPath(from('/reeks/een/?a=1'), hosts)).toBe('/reeks/een/');
    expect(internalPath('https://elders.example/', hosts)).toBeNull();
  });
});
