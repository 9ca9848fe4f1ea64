// The server context (src/server/context.ts) as the Astro routes get it: the one `npm start`
// made before the built server loaded, or, in `npm run dev`, one made on the first request from
// the environment and the content collections. The adapter's entry started on its own has none:
// its routes that need one answer 503 (src/middleware.ts), and the process says once what to do.
import {
  createServerContext,
  provideServerContext,
  providedServerContext,
  type ServerContext,
} from './context.ts';
import { openPostgresStore } from './command.ts';
import { readServerConfig } from './config.ts';
import { databaseOf, openDatabase } from './db.ts';
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
  const store = config.postgres
    ? { database: await openPostgresStore(config.postgres) }
    : {
        database: databaseOf(openDatabase(config.databasePath, { blockOnLock: false })),
        sqlitePath: config.databasePath,
      };
  await syncPages(store.database, manifest.pages);
  return createServerContext(config, manifest, store);
}

/** Thrown by serverContext() in a build served without `npm start`: no route can do its work. */
export class ServerContextMissing extends Error {
  constructor() {
    super('The server context is missing: serve the build with npm start.');
    this.name = 'ServerContextMissing';
  }
}

let missingContextLogged = false;

/** The answer of a route that needed the server context and had none; the first one logs why. */
export function missingContextAnswer(): Response {
  if (!missingContextLogged) {
    missingContextLogged = true;
    console.error(
      "This is the adapter's entry on its own, without the server context: the server routes answer 503. Serve the build with `npm start`.",
    );
  }
  return new Response('Deze functie van de site werkt nu niet. Probeer het later opnieuw.\n', {
    status: 503,
    headers: { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

export function serverContext(): Promise<ServerContext> {
  const provided = providedServerContext();
  if (provided) return provided;
  if (!import.meta.env.DEV) throw new ServerContextMissing();
  const context = devContext();
  // Try again on the next request rather than failing forever.
  context.catch(() => provideServerContext(undefined));
  provideServerContext(context);
  return context;
}
