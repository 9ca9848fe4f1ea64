// `npm start`: opens the database (creating or migrating it) before the server takes a request,
// says whether the report is on, then starts the built server.
// Usage: node src/server/start.ts [build folder, default dist]
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import compression from 'compression';
import type { TrackedPage } from '../lib/collections.ts';
import { databasePath } from './db.ts';
import { addSecurityHeaders } from './security-headers.ts';
import { createServices, type Services } from './services.ts';
import { statsCredentials } from './stats-auth.ts';

const buildDir = resolve(process.argv[2] ?? 'dist');
const dbPath = databasePath();

let collect: Services['collect'];
try {
  // The pages with a contact block, as this build published them (src/pages/api/tracked-pages.json.ts).
  const pages: TrackedPage[] = JSON.parse(readFileSync(join(buildDir, 'client', 'api', 'tracked-pages.json'), 'utf8'));
  ({ collect } = createServices(pages));
} catch (error) {
  console.error(`${(error as Error).message}\nSet REEKS_DB_PATH to a file the server may write, and build the site first.`);
  process.exit(1);
}

/**
 * POST /api/events/ without Astro's request pipeline: the same collector as the Astro route
 * (used by `npm run dev`), several times the events per second.
 */
async function collectEvent(request: IncomingMessage, response: ServerResponse) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const answer = await collect(
    new Request(`http://localhost${request.url}`, {
      method: 'POST',
      headers,
      body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit),
    request.socket.remoteAddress,
  );
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.end(Buffer.from(await answer.arrayBuffer()));
  // A body refused for its size may still be arriving: do not read it.
  if (answer.status === 413) request.destroy();
}

console.log(`Events database: ${dbPath}`);
console.log(
  statsCredentials()
    ? 'Report: on at /stats/ (log in with STATS_USER and STATS_PASSWORD).'
    : 'Report: off (/stats/ answers 404). To turn it on, start with STATS_USER and STATS_PASSWORD set:\n' +
        '  STATS_USER=marketing STATS_PASSWORD=<a long secret> npm start',
);

// The adapter's own server, wrapped so that every response carries the security headers and
// text (pages, styles, scripts, the search index's JSON) is compressed.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler, options } = await import(pathToFileURL(join(buildDir, 'server', 'entry.mjs')).href);
const port = Number(process.env.PORT ?? options.port);
const host = process.env.HOST ?? (options.host === true ? '0.0.0.0' : options.host || 'localhost');
const compress = compression();
createServer((request, response) => {
  addSecurityHeaders(response);
  if (request.method === 'POST' && request.url === '/api/events/') {
    collectEvent(request, response).catch((error) => {
      console.error('Could not answer an event:', error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
    return;
  }
  compress(request as never, response as never, () => handler(request, response));
}).listen(port, host, () => console.log(`Serving on http://${host}:${port}/`));
