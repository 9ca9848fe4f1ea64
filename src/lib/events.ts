// What the collector accepts: a page view or a contact click on a page that carries the contact
// block, described exactly as that page describes itself, and nothing else. Pure, so it is tested
// without a server (src/lib/events.test.ts).
import { z } from 'astro/zod';
import { contactChannels, type ContactChannel } from './contact.ts';
import type { SitePage } from './site-page.ts';

export const eventTypes = ['pageview', 'contact_click'] as const;
export type EventType = (typeof eventTypes)[number];

/** What the collector checks an event against: the page as it describes itself. */
export type EventPage = Pick<SitePage, 'path' | 'author' | 'series' | 'part' | 'channels'>;

/** An event as it is stored: no time of day, nothing about the reader. */
export interface TrackedEvent {
  type: EventType;
  path: string;
  author: string;
  series: string | null;
  part: number | null;
  channel: ContactChannel | null;
}

export type EventCheck = { ok: true; event: TrackedEvent } | { ok: false; error: string };

// Bounds well above any real value: a page path, an id and a part number of this site.
const eventSchema = z.strictObject({
  type: z.enum(eventTypes),
  path: z.string().max(300),
  author: z.string().max(100),
  series: z.string().max(100).optional(),
  part: z.number().int().min(1).max(1000).optional(),
  channel: z.enum(contactChannels).optional(),
});

const fail = (error: string): EventCheck => ({ ok: false, error });

/** Checks a parsed request body against the site's pages. Error messages never repeat the input. */
export function checkEvent(input: unknown, pages: ReadonlyMap<string, EventPage>): EventCheck {
  const parsed = eventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') return fail('unknown field');
    const field = issue.path.join('.');
    return fail(field ? `${field}: ${issue.message}` : 'the body must be a JSON object');
  }
  const { type, path, author, series, part, channel } = parsed.data;
  const page = pages.get(path);
  if (!page) return fail('path: not a page with a contact block');
  if (author !== page.author || series !== page.series || part !== page.part) {
    return fail('author, series and part must match the page');
  }
  if (type === 'pageview' && channel !== undefined) return fail('channel: a pageview has none');
  if (type === 'contact_click') {
    if (channel === undefined) return fail('channel: required for a contact_click');
    if (!page.channels.includes(channel)) return fail('channel: not offered on this page');
  }
  return {
    ok: true,
    event: { type, path, author, series: series ?? null, part: part ?? null, channel: channel ?? null },
  };
}
