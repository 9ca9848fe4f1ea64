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
