// What readers of the production site may see. In `npm run dev` editors see everything.

export interface Publishable {
  draft: boolean;
  date: Date;
}

/** Published: not a draft and dated today or earlier. */
export function isPublished(post: Publishable, now: Date): boolean {
  return !post.draft && post.date.getTime() <= now.getTime();
}

/** Dated in the future, so not yet visible in production. */
export function isScheduled(post: Publishable, now: Date): boolean {
  return post.date.getTime() > now.getTime();
}
