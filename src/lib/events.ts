// What the collector accepts: a page view, the invitation seen, or a contact click on a page that
// carries the contact block, described exactly as that page describes itself, with where the view
// came from, and nothing else. Pure, so it is tested without a server (src/lib/events.test.ts).
import { z } from 'astro/zod';
import { contactChannels, type ContactChannel } from './contact.ts';
import { engagedBucket, maxEngagedWindows, type DepthRecord } from './reading-depth.ts';
import type { SitePage } from './site-page.ts';
import { campaignTags, isReadOn, trafficSource, type TrafficSource } from './traffic-source.ts';

export const eventTypes = ['pageview', 'contact_view', 'contact_click'] as const;
export type EventType = (typeof eventTypes)[number];

/** What the collector checks an event against: the page as it describes itself. */
export type EventPage = Pick<SitePage, 'path' | 'author' | 'series' | 'part' | 'channels' | 'sections'>;

/**
 * An event as it is stored: no time of day, nothing about the reader. The source is that of the
 * page view the event happened in (unset: "direct"); `readOn` marks a view of part n+1 reached
 * from part n.
 */
export interface TrackedEvent {
  type: EventType;
  path: string;
  author: string;
  series: string | null;
  part: number | null;
  channel: ContactChannel | null;
  source?: TrafficSource;
  readOn?: boolean;
}

/** Where the view came from, raw (`document.referrer`, '' for none); only its host is kept. */
const referrerField = z.string().max(2000).optional();

export type EventCheck = { ok: true; event: TrackedEvent } | { ok: false; error: string };

// Bounds well above any real value: a page path, an id and a part number of this site.
const eventSchema = z.strictObject({
  type: z.enum(eventTypes),
  path: z.string().max(300),
  author: z.string().max(100),
  series: z.string().max(100).optional(),
  part: z.number().int().min(1).max(1000).optional(),
  channel: z.enum(contactChannels).optional(),
  referrer: referrerField,
});

const fail = (error: string): EventCheck => ({ ok: false, error });

/**
 * What the request tells besides its body: this site's hosts (with port), to tell a referrer on
 * the site from another site, and the page's own address (the request's Referer header), whose
 * campaign tags say where the view came from.
 */
export interface RequestOrigin {
  siteHosts: readonly string[];
  pageAddress?: string | null;
}

/** Checks a parsed request body against the site's pages. Error messages never repeat the input. */
export function checkEvent(
  input: unknown,
  pages: ReadonlyMap<string, EventPage>,
  request: RequestOrigin = { siteHosts: [] },
): EventCheck {
  const parsed = eventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') return fail('unknown field');
    const field = issue.path.join('.');
    return fail(field ? `${field}: ${issue.message}` : 'the body must be a JSON object');
  }
  const { type, path, author, series, part, channel, referrer } = parsed.data;
  const { siteHosts, pageAddress } = request;
  const page = pages.get(path);
  if (!page) return fail('path: not a page with a contact block');
  if (author !== page.author || series !== page.series || part !== page.part) {
    return fail('author, series and part must match the page');
  }
  if (type !== 'contact_click' && channel !== undefined) return fail(`channel: a ${type} has none`);
  if (type === 'contact_click') {
    if (channel === undefined) return fail('channel: required for a contact_click');
    if (!page.channels.includes(channel)) return fail('channel: not offered on this page');
  }
  return {
    ok: true,
    event: {
      type,
      path,
      author,
      series: series ?? null,
      part: part ?? null,
      channel: channel ?? null,
      source: trafficSource({ referrer, ...campaignTags(pageAddress, siteHosts) }, siteHosts),
      readOn: type === 'pageview' && isReadOn(page, referrer, siteHosts, pages),
    },
  };
}

/**
 * Where the view a message was sent from came from: the referrer the form's script adds (a string
 * of at most 2,000 characters, else ignored) and the campaign tags of the part's address. A
 * message is never refused for these; without the script it counts as direct.
 */
export function messageSource(referrer: string | null, request: RequestOrigin): TrafficSource {
  const checked = referrerField.safeParse(referrer ?? undefined);
  const tags = campaignTags(request.pageAddress, request.siteHosts);
  return trafficSource({ referrer: checked.success ? checked.data : undefined, ...tags }, request.siteHosts);
}

/** A page view's id: a random UUID (crypto.randomUUID), in lower case. */
const viewId = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// The bounds of the schema are those of any page; the page's own sections bound `reached` further.
const depthSchema = z.strictObject({
  type: z.literal('depth'),
  path: z.string().max(300),
  author: z.string().max(100),
  series: z.string().max(100).optional(),
  part: z.number().int().min(1).max(1000).optional(),
  view: z.string().regex(viewId),
  /** How many of the sections were reached: the number of the furthest one, 0 for none. */
  reached: z.number().int().min(0).max(1000),
  /** The furthest section's id, which must be the id of section number `reached`. */
  section: z.string().max(200).optional(),
  end: z.boolean(),
  /** Engaged 5-second windows, at most a day of them. */
  engaged: z.number().int().min(0).max(maxEngagedWindows),
});

export type DepthCheck = { ok: true; record: DepthRecord } | { ok: false; error: string };

/** Whether a parsed body is a depth record, which checkDepth checks rather than checkEvent. */
export const isDepthEvent = (input: unknown): boolean =>
  typeof input === 'object' && input !== null && (input as { type?: unknown }).type === 'depth';

/**
 * Checks a depth record against the part it claims to come from: its sections as the build knows
 * them (the site manifest). Only a part has them; the error messages never repeat the input.
 */
export function checkDepth(input: unknown, pages: ReadonlyMap<string, EventPage>): DepthCheck {
  const parsed = depthSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') return { ok: false, error: 'unknown field' };
    const field = issue.path.join('.');
    return { ok: false, error: field ? `${field}: ${issue.message}` : 'the body must be a JSON object' };
  }
  const { path, author, series, part, view, reached, section, end, engaged } = parsed.data;
  const page = pages.get(path);
  if (!page || page.part === undefined || !page.sections) return { ok: false, error: 'path: not a part' };
  if (author !== page.author || series !== page.series || part !== page.part) {
    return { ok: false, error: 'author, series and part must match the page' };
  }
  if (reached > page.sections.length) return { ok: false, error: 'reached: past the last section' };
  if (reached === 0 ? section !== undefined : section !== page.sections[reached - 1]!.id) {
    return { ok: false, error: 'section: not the section with that number' };
  }
  return {
    ok: true,
    record: {
      view,
      path,
      author,
      series: series ?? null,
      part: part ?? null,
      furthest: reached,
      endReached: end,
      engaged: engagedBucket(engaged),
    },
  };
}
