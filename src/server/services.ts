// What the server's on-demand routes share for the life of the process: one database connection,
// the pages of this build, one rate limiter. Created on the first request that needs them.
import type { DatabaseSync } from 'node:sqlite';
import type { TrackedPage } from '../lib/collections.ts';
import { site, tracking } from '../site.config.ts';
import { createCollector } from './collector.ts';
import { databasePath, openDatabase } from './db.ts';
import { syncPages } from './event-store.ts';
import { createRateLimiter } from './rate-limit.ts';

export interface Services {
  db: DatabaseSync;
  collect: ReturnType<typeof createCollector>;
}

function eventsPerMinute(): number {
  const value = Number(process.env.REEKS_EVENTS_PER_MINUTE);
  return Number.isInteger(value) && value > 0 ? value : tracking.eventsPerMinute;
}

/** The database and the collector for the pages of this build. */
export function createServices(pages: readonly TrackedPage[]): Services {
  const db = openDatabase(databasePath());
  syncPages(db, pages);
  const collect = createCollector({
    db,
    pages: new Map(pages.map((page) => [page.path, page])),
    limiter: createRateLimiter({ limit: eventsPerMinute() }),
    maxBodyBytes: tracking.maxBodyBytes,
    timeZone: site.timeZone,
  });
  return { db, collect };
}

async function start(): Promise<Services> {
  // The pages come from the content collections as this build published them, so the collector
  // accepts exactly the pages that exist. Imported here, not at the top: start.ts uses
  // createServices outside Astro, where astro:content does not exist.
  const { getTrackedPages } = await import('../lib/collections.ts');
  return createServices(await getTrackedPages());
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
