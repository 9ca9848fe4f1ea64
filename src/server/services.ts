// What the server's on-demand routes share for the life of the process: one database connection,
// the pages of this build, the rate limiters and the mail queue. Created on the first request
// that needs them.
import type { DatabaseSync } from 'node:sqlite';
import type { TrackedPage } from '../lib/collections.ts';
import { absoluteUrl, messages, positiveInteger, site, tracking } from '../site.config.ts';
import { trackedPages } from './build-data.ts';
import { createCollector } from './collector.ts';
import { databasePath, openDatabase } from './db.ts';
import { syncPages } from './event-store.ts';
import { formSecret } from './form-token.ts';
import { createMessageReceiver } from './messages.ts';
import { createNotifier, notification, smtpSettings } from './notify.ts';
import { createRateLimiter } from './rate-limit.ts';

export interface Services {
  db: DatabaseSync;
  collect: ReturnType<typeof createCollector>;
  receiveMessage: ReturnType<typeof createMessageReceiver>;
  /** The parts that carry the message form, by path. */
  messagePages: ReadonlyMap<string, TrackedPage>;
}

/** The event collector for the pages of this build; `npm start` uses it outside Astro too. */
export function createEventCollector(db: DatabaseSync, pages: readonly TrackedPage[]) {
  syncPages(db, pages);
  return createCollector({
    db,
    pages: new Map(pages.map((page) => [page.path, page])),
    limiter: createRateLimiter({ limit: positiveInteger(process.env.REEKS_EVENTS_PER_MINUTE) ?? tracking.eventsPerMinute }),
    maxBodyBytes: tracking.maxBodyBytes,
    timeZone: site.timeZone,
  });
}

async function start(): Promise<Services> {
  const pages = await trackedPages();
  const db = openDatabase(databasePath());
  const collect = createEventCollector(db, pages);

  const messagePages = new Map(pages.filter((page) => page.kind === 'part').map((page) => [page.path, page]));
  const smtp = smtpSettings();
  const notify = smtp && createNotifier(smtp);
  const receiveMessage = createMessageReceiver({
    db,
    pages: messagePages,
    limiter: createRateLimiter({ limit: positiveInteger(process.env.REEKS_MESSAGES_PER_HOUR) ?? messages.perHour, windowMs: 60 * 60 * 1000 }),
    secret: formSecret(),
    timeZone: site.timeZone,
    maxBodyBytes: messages.maxBodyBytes,
    minFillMs: messages.minFillSeconds * 1000,
    maxFormAgeMs: messages.maxFormAgeHours * 60 * 60 * 1000,
    onStored: notify
      ? (message, page) => void notify(notification(message, page, absoluteUrl('/stats/'), messages.retentionDays))
      : undefined,
  });
  return { db, collect, receiveMessage, messagePages };
}

let services: Promise<Services> | undefined;

export function getServices(): Promise<Services> {
  services ??= start().catch((error) => {
    // Try again on the next request rather than failing forever.
    services = undefined;
    throw error;
  });
  return services;
}
