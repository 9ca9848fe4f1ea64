// What readers of the production site may see. In `npm run dev` editors see everything.
import { isoDay, todayIn } from './dates.ts';

export interface Publishable {
  draft: boolean;
  /** A calendar day, stored as UTC midnight. */
  date: Date;
}

/**
 * Published: not a draft and dated on or before the day it is at `now` in `timeZone`. A part
 * dated 3 March goes live at midnight on 3 March in the site's time zone, not an hour later.
 */
export function isPublished(post: Publishable, now: Date, timeZone: string): boolean {
  return !post.draft && !isScheduled(post, now, timeZone);
}

/** Dated after today in `timeZone`, so not yet visible in production. */
export function isScheduled(post: Publishable, now: Date, timeZone: string): boolean {
  return isoDay(post.date) > todayIn(timeZone, now);
}

/**
 * The moment a build publishes for: now, or the moment in `REEKS_NOW` (an ISO moment, or a day
 * YYYY-MM-DD, taken as noon UTC, which is that same day in every European time zone). Lets the
 * nightly publish and the tests build the site as it will be on a given day.
 */
export function publicationMoment(value: string | undefined, now = new Date()): Date {
  if (value === undefined || value.trim() === '') return now;
  const text = value.trim();
  const moment = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T12:00:00Z` : text);
  if (Number.isNaN(moment.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new Error(
      `REEKS_NOW is "${value}", which is not a day or moment. Write a day as YYYY-MM-DD (2027-03-01) or an ISO moment (2027-03-01T06:00:00Z), or leave it unset for now.`,
    );
  }
  return moment;
}
