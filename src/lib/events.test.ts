import { describe, expect, it } from 'vitest';
import { checkEvent, type EventPage } from './events.ts';

const part2: EventPage = {
  path: '/digitale-transformatie/kansen-voor-de-dienstverlening/',
  author: 'job-coenen',
  series: 'digitale-transformatie',
  part: 2,
  channels: ['email', 'phone', 'linkedin'],
};
const authorPage: EventPage = { path: '/auteurs/anna-de-vries/', author: 'anna-de-vries', channels: ['email'] };
const pages = new Map([part2, authorPage].map((page) => [page.path, page]));

const click = { type: 'contact_click', channel: 'email', path: part2.path, author: 'job-coenen', series: 'digitale-transformatie', part: 2 };
const view = { type: 'pageview', path: part2.path, author: 'job-coenen', series: 'digitale-transformatie', part: 2 };

describe('checkEvent accepts', () => {
  it('a contact click on a part, as the part describes itself', () => {
    expect(checkEvent(click, pages)).toEqual({
      ok: true,
      event: { type: 'contact_click', channel: 'email', path: part2.path, author: 'job-coenen', series: 'digitale-transformatie', part: 2 },
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
    ['a channel the author does not have', { path: authorPage.path, author: 'anna-de-vries', type: 'contact_click', channel: 'phone' }, 'channel: not offered'],
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
