// Where a page view came from, reduced to what marketing needs and nothing that points at a
// reader: the campaign tags of the address (utm_source, utm_medium, utm_campaign), or else the
// host of the site that linked here (never its path or query), "intern" for a page of this site,
// "direct" for no referrer at all. And whether a view of part n+1 came straight from part n of
// the same series (read-on). Pure, so it is tested without a server (traffic-source.test.ts).
import type { SitePage } from './site-page.ts';

/** What the server learns of a view's origin, raw: the referrer from the script, the tags from the address. */
export interface SourceInput {
  referrer?: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
}

/** What is stored of a view's origin. */
export interface TrafficSource {
  /** "linkedin", "example.org", "intern" or "direct". */
  source: string;
  medium: string | null;
  campaign: string | null;
}

export const internalSource = 'intern';
export const directSource = 'direct';

/** Longest tag or host kept: long enough for any real one, short enough to bound the table. */
export const maxTagLength = 60;

/**
 * A campaign tag as stored: lower-cased, only letters, digits and `-_.` kept (a space becomes
 * `-`), at most `maxTagLength` characters; null when nothing is left.
 */
export function cleanTag(value: string | undefined): string | null {
  if (!value) return null;
  const clean = value
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9._-]/g, '')
    .slice(0, maxTagLength);
  return /[a-z0-9]/.test(clean) ? clean : null;
}

/** A referrer's host without `www.`, or null when it is not an http(s) URL with a host. */
export function referrerHost(referrer: string | undefined): string | null {
  if (!referrer || !URL.canParse(referrer)) return null;
  const url = new URL(referrer);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return cleanTag(url.hostname.replace(/^www\./, ''));
}

/**
 * The path of a referrer on this site (one of `siteHosts`, host with port as in a Host header),
 * or null for any other referrer.
 */
export function internalPath(referrer: string | undefined, siteHosts: readonly string[]): string | null {
  if (!referrer || !URL.canParse(referrer)) return null;
  const url = new URL(referrer);
  return (url.protocol === 'https:' || url.protocol === 'http:') && siteHosts.includes(url.host)
    ? url.pathname
    : null;
}

/**
 * The campaign tags of the page's own address, as the Referer header of the tracking script's
 * request (or the message form's post) carries it; nothing from an address off the site.
 */
export function campaignTags(
  pageAddress: string | null | undefined,
  siteHosts: readonly string[],
): SourceInput {
  if (!pageAddress || internalPath(pageAddress, siteHosts) === null) return {};
  const query = new URL(pageAddress).searchParams;
  const tags: SourceInput = {};
  for (const tag of ['utm_source', 'utm_medium', 'utm_campaign'] as const) {
    const value = query.get(tag);
    if (value) tags[tag] = value;
  }
  return tags;
}

/**
 * Where a view came from. Campaign tags win: a link in a newsletter is tagged because the
 * referrer says little. A tagged link without utm_source counts under the referrer's host.
 */
export function trafficSource(input: SourceInput, siteHosts: readonly string[]): TrafficSource {
  const medium = cleanTag(input.utm_medium);
  const campaign = cleanTag(input.utm_campaign);
  const tagged = cleanTag(input.utm_source);
  if (tagged) return { source: tagged, medium, campaign };
  const internal = internalPath(input.referrer, siteHosts) !== null;
  return {
    source: internal ? internalSource : (referrerHost(input.referrer) ?? directSource),
    medium,
    campaign,
  };
}

/**
 * Whether a view of `page` is read-on: the reader came from the previous part of the same
 * series, on this site. Counts a step from one page to the next, never a person.
 */
export function isReadOn(
  page: Pick<SitePage, 'series' | 'part'>,
  referrer: string | undefined,
  siteHosts: readonly string[],
  pages: ReadonlyMap<string, Pick<SitePage, 'series' | 'part'>>,
): boolean {
  const from = internalPath(referrer, siteHosts);
  if (from === null || page.series === undefined || page.part === undefined) return false;
  const previous = pages.get(from);
  return previous?.series === page.series && previous.part === page.part - 1;
}
