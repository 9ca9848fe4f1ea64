import { describe, expect, it } from 'vitest';
import { checkDepth, checkEvent, isDepthEvent, messageSource, type EventPage } from './events.ts';

const part2: EventPage = {
  path: '/digitale-transformatie/kansen-voor-de-dienstverlening/',
  author: 'job-coenen',
  series: 'digitale-transformatie',
  part: 2,
  channels: ['email', 'phone', 'linkedin'],
};
const authorPage: EventPage = {
  path: '/auteurs/anna-de-vries/',
  author: 'anna-de-vries',
  channels: ['email'],
};
const pages = new Map([part2, authorPage].map((page) => [page.path, page]));

const click = {
  type: 'contact_click',
  channel: 'email',
  path: part2.path,
  author: 'job-coenen',
  series: 'digitale-transformatie',
  part: 2,
};
const view = {
  type: 'pageview',
  path: part2.path,
  author: 'job-coenen',
  series: 'digitale-transformatie',
  part: 2,
};

describe('checkEvent accepts', () => {
  it('a contact click on a part, as the part describes itself', () => {
    expect(checkEvent(click, pages)).toEqual({
      ok: true,
      event: {
        type: 'contact_click',
        channel: 'email',
        path: part2.path,
        author: 'job-coenen',
        series: 'digitale-transformatie',
        part: 2,
        source: { source: 'direct', medium: null, campaign: null },
        readOn: false,
      },
    });
  });

  it('a page view of a part', () => {
    const result = checkEvent(view, pages);
    expect(result).toMatchObject({ ok: true, event: { type: 'pageview', channel: null, part: 2 } });
  });

  it('a click and a view on an author page, which has no series or part', () => {
    const base = { path: authorPage.path, author: 'anna-de-vries' };
    expect(checkEvent({ ...base, type: 'contact_click', channel: 'email' }, pages)).toMatchObject({
      ok: true,
      event: { series: null, part: null, channel: 'email' },
    });
    expect(checkEvent({ ...base, type: 'pageview' }, pages).ok).toBe(true);
  });
});

describe('checkEvent refuses', () => {
  it.each([
    ['not an object', ['contact_click'], 'the body must be a JSON object'],
    ['null', null, 'the body must be a JSON object'],
    ['an unknown type', { ...click, type: 'purchase' }, 'type:'],
    ['an unknown channel', { ...click, channel: 'fax' }, 'channel:'],
    [
      'a channel the author does not have',
      { path: authorPage.path, author: 'anna-de-vries', type: 'contact_click', channel: 'phone' },
      'channel: not offered',
    ],
    // The server counts a message itself when it stores one; the browser cannot claim one.
    ['a message sent from the browser', { ...click, channel: 'message' }, 'channel: not offered'],
    ['a click without a channel', { ...view, type: 'contact_click' }, 'channel: required'],
    ['a page view with a channel', { ...view, channel: 'email' }, 'channel: a pageview has none'],
    ['a path that is not a page', { ...click, path: '/digitale-transformatie/' }, 'path: not a page'],
    ['a path without its trailing slash', { ...click, path: part2.path.slice(0, -1) }, 'path: not a page'],
    ['another part number', { ...click, part: 3 }, 'must match the page'],
    ['a part given as text', { ...click, part: '2' }, 'part:'],
    ['a fractional part', { ...click, part: 2.5 }, 'part:'],
    ['another author', { ...click, author: 'anna-de-vries' }, 'must match the page'],
    ['a missing series', { ...click, series: undefined }, 'must match the page'],
    ['a missing path', { ...click, path: undefined }, 'path:'],
    ['an unknown field', { ...click, ip: '127.0.0.1' }, 'unknown field'],
    ['an oversized path', { ...click, path: `/${'a'.repeat(400)}/` }, 'path:'],
    ['SQL in a string', { ...click, author: "job-coenen'); DROP TABLE events; --" }, 'must match the page'],
    ['HTML in a string', { ...click, channel: '<img src=x onerror=alert(1)>' }, 'channel:'],
    [
      'a contact_view with a channel',
      { ...view, type: 'contact_view', channel: 'email' },
      'channel: a contact_view has none',
    ],
    ['a referrer that is not a string', { ...view, referrer: 42 }, 'referrer:'],
    ['an oversized referrer', { ...view, referrer: `https://example.org/${'a'.repeat(2000)}` }, 'referrer:'],
    // Campaign tags come from the page's address, never from the body.
    ['a campaign tag in the body', { ...view, utm_source: 'linkedin' }, 'unknown field'],
  ])('%s', (_, input, message) => {
    const result = checkEvent(input, pages);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });

  it('never repeats the input in its message', () => {
    const result = checkEvent({ ...click, '<script>': 1, path: '<b>x</b>' }, pages);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).not.toMatch(/<|script/);
  });
});

describe('checkEvent records where the view came from', () => {
  const part1: EventPage = {
    ...part2,
    path: '/digitale-transformatie/de-impact-op-het-informatiebeleid/',
    part: 1,
  };
  const withPart1 = new Map([...pages, [part1.path, part1]]);
  const site = { siteHosts: ['reeks.example.com'] };
  const onSite = (path: string) => `https://reeks.example.com${path}`;

  it('the campaign tags of the page address, cleaned, over the referrer', () => {
    const result = checkEvent({ ...view, referrer: 'https://www.linkedin.com/feed/' }, pages, {
      ...site,
      pageAddress: `${onSite(part2.path)}?utm_source=LinkedIn&utm_medium=Social%20Post&utm_campaign=najaar<script>`,
    });
    expect(result).toMatchObject({
      ok: true,
      event: { source: { source: 'linkedin', medium: 'social-post', campaign: 'najaarscript' } },
    });
  });

  it("only an external referrer's host", () => {
    const result = checkEvent({ ...view, referrer: 'https://www.example.org/pad?geheim=1' }, pages, site);
    expect(result).toMatchObject({
      ok: true,
      event: { source: { source: 'example.org', medium: null, campaign: null } },
    });
    expect(JSON.stringify(result)).not.toContain('geheim');
  });

  it('a view of part 2 coming from part 1 as read-on, from elsewhere on the site as intern only', () => {
    const fromPart1 = checkEvent({ ...view, referrer: onSite(part1.path) }, withPart1, site);
    expect(fromPart1).toMatchObject({ ok: true, event: { source: { source: 'intern' }, readOn: true } });
    const fromHome = checkEvent({ ...view, referrer: onSite('/') }, withPart1, site);
    expect(fromHome).toMatchObject({ ok: true, event: { source: { source: 'intern' }, readOn: false } });
    // A click is never read-on: only a view is a step from one page to the next.
    const clickFromPart1 = checkEvent({ ...click, referrer: onSite(part1.path) }, withPart1, site);
    expect(clickFromPart1).toMatchObject({ ok: true, event: { readOn: false } });
  });

  it('the invitation seen, with the source of its view', () => {
    const result = checkEvent({ ...view, type: 'contact_view', referrer: '' }, pages, site);
    expect(result).toMatchObject({
      ok: true,
      event: { type: 'contact_view', channel: null, source: { source: 'direct' } },
    });
  });

  it('a referrer that is not a URL as direct', () => {
    const result = checkEvent({ ...view, referrer: 'niet een adres' }, pages, site);
    expect(result).toMatchObject({ ok: true, event: { source: { source: 'direct' } } });
  });
});

describe('messageSource', () => {
  const site = { siteHosts: ['reeks.example.com'] };
  it('takes the tags of the part address and the referrer the script added, and direct for anything else', () => {
    expect(
      messageSource('https://m.facebook.com/x', {
        ...site,
        pageAddress: 'https://reeks.example.com/a/?utm_source=nieuwsbrief',
      }),
    ).toEqual({ source: 'nieuwsbrief', medium: null, campaign: null });
    expect(messageSource('https://m.facebook.com/x?fbclid=1', site)).toEqual({
      source: 'm.facebook.com',
      medium: null,
      campaign: null,
    });
    expect(messageSource(null, site).source).toBe('direct');
    expect(messageSource('x'.repeat(3000), site).source).toBe('direct');
  });
});

describe('checkDepth', () => {
  const sections = [
    { id: 'inleiding', title: 'Inleiding' },
    { id: 'de-kern', title: 'De kern' },
    { id: 'tot-slot', title: 'Tot slot' },
  ];
  const withSections = new Map([
    [part2.path, { ...part2, sections }],
    [authorPage.path, authorPage],
  ]);
  const depth = {
    type: 'depth',
    path: part2.path,
    author: 'job-coenen',
    series: 'digitale-transformatie',
    part: 2,
    view: '0b6f6c1e-3c1a-4a57-9a3e-2f1d6f3c9b10',
    reached: 2,
    section: 'de-kern',
    end: false,
    engaged: 14,
  };

  it('accepts a record of a part as it describes itself, keeping the engaged time as a bucket', () => {
    expect(isDepthEvent(depth)).toBe(true);
    expect(isDepthEvent(view)).toBe(false);
    expect(checkDepth(depth, withSections)).toEqual({
      ok: true,
      record: {
        view: depth.view,
        path: part2.path,
        author: 'job-coenen',
        series: 'digitale-transformatie',
        part: 2,
        furthest: 2,
        endReached: false,
        engaged: '1-3m',
      },
    });
  });

  it('accepts a view that reached no section, and one that read to the end for a day', () => {
    const { section: _, ...none } = depth;
    expect(checkDepth({ ...none, reached: 0, engaged: 0 }, withSections)).toMatchObject({
      ok: true,
      record: { furthest: 0, engaged: 'under-10s' },
    });
    expect(
      checkDepth({ ...depth, reached: 3, section: 'tot-slot', end: true, engaged: 17280 }, withSections),
    ).toMatchObject({ ok: true, record: { furthest: 3, endReached: true, engaged: 'over-10m' } });
  });

  it.each([
    ['an unknown section', { section: 'verzonnen' }, 'section:'],
    ['a section that is not the one with that number', { section: 'inleiding' }, 'section:'],
    ['a section index past the end', { reached: 4, section: 'tot-slot' }, 'reached: past the last section'],
    ['10,000 sections', { reached: 10000 }, 'reached:'],
    ['a section number that is not whole', { reached: 1.5 }, 'reached:'],
    ['a negative engaged time', { engaged: -1 }, 'engaged:'],
    ['an engaged time past a day', { engaged: 17281 }, 'engaged:'],
    ['an engaged time as text', { engaged: '5' }, 'engaged:'],
    ['an id that is not a random UUID', { view: 'reader-42' }, 'view:'],
    ['an id in capitals', { view: depth.view.toUpperCase() }, 'view:'],
    ['no id', { view: undefined }, 'view:'],
    ['end as text', { end: 'ja' }, 'end:'],
    ['an unknown field', { reader: 'anna' }, 'unknown field'],
    ['another part number', { part: 3 }, 'must match the page'],
    ['an author page, which has no sections', { path: authorPage.path, author: 'anna-de-vries' }, 'path:'],
    ['an unknown page', { path: '/elders/' }, 'path: not a part'],
  ])('refuses %s', (_, change, error) => {
    const result = checkDepth({ ...depth, ...change }, withSections);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.error).toContain(error);
  });

  it('refuses a section list as long as 10,000 sections', () => {
    expect(checkDepth({ ...depth, sections: Array(10000).fill('de-kern') }, withSections).ok).toBe(false);
  });
});
