// `npm start`: opens the database (creating or migrating it) before the server takes a request,
// says whether the report is on, then starts the built server.
// Usage: node src/server/start.ts [build folder, default dist]
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import compression from 'compression';
import { databasePath, openDatabase } from './db.ts';
import { addSecurityHeaders } from './security-headers.ts';
import { statsCredentials } from './stats-auth.ts';

const buildDir = resolve(process.argv[2] ?? 'dist');
const dbPath = databasePath();

try {
  openDatabase(dbPath).close();
} catch (error) {
  console.error(`${(error as Error).message}\nSet REEKS_DB_PATH to a file the server may write.`);
  process.exit(1);
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
  compress(request as never, response as never, () => handler(request, response));
}).listen(port, host, () => console.log(`Serving on http://${host}:${port}/`));
