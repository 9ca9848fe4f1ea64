// `npm start`: opens the database (creating or migrating it) before the server takes a request,
// deletes messages past their retention (now and every hour), says whether the report and the
// e-mail to authors are on, then starts the built server.
// Usage: node src/server/start.ts [build folder, default dist]
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import compression from 'compression';
import { messages } from '../site.config.ts';
import { databasePath, openDatabase } from './db.ts';
import { formSecret, issueFormToken, stampFormTokens } from './form-token.ts';
import { deleteOldMessages } from './message-store.ts';
import { smtpSettings } from './notify.ts';
import { readTrackedPages } from './build-data.ts';
import { addSecurityHeaders } from './security-headers.ts';
import { builtWithEditor, editorSettings, editorStatusLine } from './editor-settings.ts';
import { editorRequestUrl } from './editor-routes.ts';
import { createEventCollector } from './services.ts';
import { statsCredentials } from './stats-auth.ts';

const buildDir = resolve(process.argv[2] ?? 'dist');
// For the server's own routes (src/server/build-data.ts), which read what this build published.
process.env.REEKS_BUILD_DIR = buildDir;
const dbPath = databasePath();

let db: ReturnType<typeof openDatabase>;
try {
  db = openDatabase(dbPath);
} catch (error) {
  console.error(`${(error as Error).message}\nSet REEKS_DB_PATH to a file the server may write.`);
  process.exit(1);
}

let smtp: ReturnType<typeof smtpSettings>;
try {
  smtp = smtpSettings();
} catch (error) {
  console.error(`E-mail to authors: ${(error as Error).message}`);
  process.exit(1);
}

// The browser editor on the live site (docs/editor-on-the-live-site.md): only in a build made with its settings.
const editorBuilt = builtWithEditor(buildDir);
try {
  console.log(editorStatusLine(editorSettings(process.env), editorBuilt));
} catch (error) {
  console.error(`Editor: ${(error as Error).message}`);
  process.exit(1);
}

const { retentionDays } = messages;
function deleteExpiredMessages() {
  try {
    const deleted = deleteOldMessages(db, retentionDays, new Date());
    if (deleted > 0) console.log(`Deleted ${deleted} message(s) older than ${retentionDays} days.`);
  } catch (error) {
    console.error('Could not delete old messages:', error);
  }
}
deleteExpiredMessages();
// Never the reason the process stays alive.
setInterval(deleteExpiredMessages, messages.purgeEveryMs).unref();

console.log(`Database: ${dbPath}`);
console.log(
  statsCredentials()
    ? 'Report: on at /stats/ (log in with STATS_USER and STATS_PASSWORD).'
    : 'Report: off (/stats/ answers 404). To turn it on, start with STATS_USER and STATS_PASSWORD set:\n' +
        '  STATS_USER=marketing STATS_PASSWORD=<a long secret> npm start',
);
console.log(`Messages: kept ${retentionDays} days (REEKS_MESSAGE_RETENTION_DAYS).`);
console.log(
  smtp
    ? `E-mail to authors: on, through ${smtp.host}:${smtp.port}.`
    : 'E-mail to authors: off (messages are in the report and in npm run messages). To mail each author, set\n' +
        '  SMTP_HOST and SMTP_FROM (and SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD as your mail server needs).',
);

const collect = createEventCollector(db, readTrackedPages(buildDir));

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

// Before the built server loads, so its routes check tokens with the secret the pages are stamped with.
const secret = formSecret();

// The adapter's own server, wrapped so that every response carries the security headers, text is
// compressed, and every prerendered message form gets a fresh token (stamped before compression).
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler, options } = await import(pathToFileURL(join(buildDir, 'server', 'entry.mjs')).href);
const port = Number(process.env.PORT ?? options.port);
const host = process.env.HOST ?? (options.host === true ? '0.0.0.0' : options.host || 'localhost');
const compress = compression();
createServer((request, response) => {
  if (editorBuilt && request.url) request.url = editorRequestUrl(request.url);
  addSecurityHeaders(response, request.url);
  if (request.method === 'POST' && request.url === '/api/events/') {
    collectEvent(request, response).catch((error) => {
      console.error('Could not answer an event:', error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
    return;
  }
  compress(request as never, response as never, () => {
    stampFormTokens(response, () => issueFormToken(secret));
    handler(request, response);
  });
}).listen(port, host, () => console.log(`Serving on http://${host}:${port}/`));
