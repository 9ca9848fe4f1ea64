import { describe, expect, it } from 'vitest';
import {
  cacheKey,
  listPageKey,
  partPageKey,
  postPageKey,
  seriesPageKey,
  stableJson,
  type KeyedPost,
  type KeyedSeries,
} from './page-keys.ts';

const settings = {
  site: { name: 'Reeks', url: 'https://reeks.example.com', wordsPerMinute: 200 },
  messages: { retentionDays: 365 },
};
const author = { id: 'anna', digest: 'a1', data: { name: 'Anna de Vries', role: 'Adviseur' } };
const service = { id: 'dienst', digest: 's1', data: { name: 'Dienst' } };
const seriesEntry = {
  id: 'reeks',
  digest: 'r1',
  data: { title: 'Reeks', description: 'Over de reeks.', plannedParts: [{ part: 4, title: 'Later' }] },
};

function part(number: number, changes: Partial<KeyedPost> = {}): KeyedPost {
  return {
    entry: {
      id: `reeks/deel-${number}`,
      digest: `p${number}`,
      data: { title: `Deel ${number}`, part: number },
    },
    url: `/reeks/deel-${number}/`,
    title: `Deel ${number}`,
    description: `Over deel ${number}.`,
    date: new Date(Date.UTC(2021, number, 1)),
    readingMinutes: 3,
    draft: false,
    scheduled: false,
    author,
    services: [service],
    series: seriesEntry,
    part: number,
    ...changes,
  };
}

function series(parts: KeyedPost[], planned = [{ part: 4, title: 'Later' }]): KeyedSeries {
  const outline = [
    ...parts.map((published) => ({ part: published.part!, title: published.title, published })),
    ...planned,
  ];
  return { entry: seriesEntry, url: '/reeks/', outline };
}

const parts = [part(1), part(2), part(3)];
const partKey = (changed = parts, index = 1, keySettings: object = settings) =>
  partPageKey(
    {
      part: changed[index]!,
      series: series(changed),
      previous: changed[index - 1],
      next: changed[index + 1],
    },
    keySettings,
  );

describe('stableJson', () => {
  it('writes object keys in order, at every depth, and dates as ISO text', () => {
    expect(stableJson({ b: 1, a: { d: new Date('2021-01-10T00:00:00Z'), c: [2, 1] } })).toBe(
      '{"a":{"c":[2,1],"d":"2021-01-10T00:00:00.000Z"},"b":1}',
    );
  });

  it('refuses a Map, whose entries JSON would silently drop', () => {
    expect(() => stableJson({ parts: new Map([[1, 'een']]) })).toThrow(/Map or a Set/);
  });
});

describe('cacheKey', () => {
  it('is the same for equal data in any key order, and differs for different data', () => {
    expect(cacheKey({ a: 1, b: 2 })).toBe(cacheKey({ b: 2, a: 1 }));
    expect(cacheKey({ a: 1 })).not.toBe(cacheKey({ a: 2 }));
  });
});

describe('partPageKey', () => {
  it('stays the same when nothing the part shows changed', () => {
    expect(partKey()).toBe(partKey([part(1), part(2), part(3)]));
  });

  it("changes with the part's own file, the author, a service and the series", () => {
    const changes: Partial<KeyedPost>[] = [
      { entry: { ...part(2).entry, digest: 'p2-edited' } },
      { author: { ...author, digest: 'a2', data: { ...author.data, name: 'Anna van Dijk' } } },
      { services: [{ ...service, digest: 's2', data: { name: 'Andere dienst' } }] },
      { readingMinutes: 4 },
    ];
    for (const change of changes)
      expect(partKey([part(1), part(2, change), part(3)]), JSON.stringify(change)).not.toBe(partKey());
    const otherSeries = {
      ...series(parts),
      entry: { ...seriesEntry, digest: 'r2', data: { ...seriesEntry.data, title: 'Andere titel' } },
    };
    expect(
      partPageKey({ part: parts[1]!, series: otherSeries, previous: parts[0], next: parts[2] }, settings),
    ).not.toBe(partKey());
  });

  it('changes when a part it links to is renamed, added or removed, or an announced part changes', () => {
    expect(partKey([part(1, { title: 'Nieuwe titel' }), part(2), part(3)])).not.toBe(partKey());
    expect(partKey([part(1), part(2), part(3, { url: '/reeks/ander-adres/' })])).not.toBe(partKey());
    expect(partKey([...parts, part(4)])).not.toBe(partKey());
    expect(partKey([part(1), part(2)])).not.toBe(partKey());
    const withoutAnnounced = partPageKey(
      { part: parts[1]!, series: series(parts, []), previous: parts[0], next: parts[2] },
      settings,
    );
    expect(withoutAnnounced).not.toBe(partKey());
  });

  it("ignores another part's text, which the part does not show", () => {
    expect(partKey([part(1), part(2), part(3, { entry: { ...part(3).entry, digest: 'p3-edited' } })])).toBe(
      partKey(),
    );
  });

  it("changes with the site's settings", () => {
    expect(partKey(parts, 1, { ...settings, messages: { retentionDays: 30 } })).not.toBe(partKey());
  });
});

describe('seriesPageKey', () => {
  it("changes with what a part's card shows, not with its text", () => {
    const key = seriesPageKey(series(parts), settings);
    expect(seriesPageKey(series([part(1), part(2, { description: 'Anders.' }), part(3)]), settings)).not.toBe(
      key,
    );
    expect(seriesPageKey(series([part(1), part(2, { readingMinutes: 9 }), part(3)]), settings)).not.toBe(key);
    expect(
      seriesPageKey(
        series([part(1), part(2, { entry: { ...part(2).entry, digest: 'p2-edited' } }), part(3)]),
        settings,
      ),
    ).toBe(key);
  });
});

describe('postPageKey and listPageKey', () => {
  it("a standalone post changes with its file and its author's", () => {
    const post = part(1, { series: undefined, part: undefined });
    expect(postPageKey(post, settings)).not.toBe(
      postPageKey({ ...post, entry: { ...post.entry, digest: 'x' } }, settings),
    );
    expect(postPageKey(post, settings)).not.toBe(
      postPageKey({ ...post, author: { ...author, digest: 'a2' } }, settings),
    );
  });

  it("an author's or a service's page changes with its own file and with its posts' cards", () => {
    const key = listPageKey(author, parts, settings);
    expect(listPageKey({ ...author, digest: 'a2' }, parts, settings)).not.toBe(key);
    expect(listPageKey(author, [...parts, part(4)], settings)).not.toBe(key);
    expect(listPageKey(author, [part(1, { title: 'Nieuw' }), part(2), part(3)], settings)).not.toBe(key);
    expect(
      listPageKey(
        author,
        parts.map((item) => ({ ...item, series: { ...seriesEntry, digest: 'r2' } })),
        settings,
      ),
    ).not.toBe(key);
  });
});
