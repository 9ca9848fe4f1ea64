// The server context (src/server/context.ts) as the Astro routes get it: the one `npm start`
// made before the built server loaded, or, in `npm run dev`, one made on the first request from
// the environment and the content collections.
import {
  createServerContext,
  provideServerContext,
  providedServerContext,
  type ServerContext,
} from './context.ts';
import { readServerConfig } from './config.ts';
import { openDatabase } from './db.ts';
import { syncPages } from './event-store.ts';

async function devContext(): Promise<ServerContext> {
  const { getOgCards, getContactPages, getFollowSeries } = await import('../lib/collections.ts');
  const config = readServerConfig(process.env);
  const manifest = {
    pages: await getContactPages(),
    ogCards: await getOgCards(),
    followSeries: await getFollowSeries(),
    messageRetentionDays: config.messageRetentionDays,
  };
  const db = openDatabase(config.databasePath, { blockOnLock: false });
  syncPages(db, manifest.pages);
  return createServerContext(config, manifest, db);
}

export function serverContext(): Promise<ServerContext> {
  const provided = providedServerContext();
  if (provided) return provided;
  if (!import.meta.env.DEV) throw new Error('The server context is missing: serve the build with npm start.');
  const context = devContext();
  // Try again on the next request rather than failing forever.
  context.catch(() => provideServerContext(undefined));
  provideServerContext(context);
  return context;
}
