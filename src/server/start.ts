// `npm start`: opens the database (creating or migrating it) before the server takes a request,
// deletes messages past their retention (now and every hour), says whether the report and the
// e-mail to authors are on, then starts the built server.
// Usage: node src/server/start.ts [build folder, default dist]
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import { messages } from '../site.config.ts';
import { databasePath, openDatabase } from './db.ts';
import { formSecret, issueFormToken, stampFormTokens } from './form-token.ts';
import { deleteOldMessages } from './message-store.ts';
import { smtpSettings } from './notify.ts';
import { addSecurityHeaders } from './security-headers.ts';
import { statsCredentials } from './stats-auth.ts';

const buildDir = resolve(process.argv[2] ?? 'dist');
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

// Before the built server loads, so its routes check tokens with the secret the pages are stamped with.
const secret = formSecret();

// The adapter's own server, wrapped so that every response carries the security headers and
// every prerendered message form a fresh token.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler, options } = await import(pathToFileURL(join(buildDir, 'server', 'entry.mjs')).href);
const port = Number(process.env.PORT ?? options.port);
const host = process.env.HOST ?? (options.host === true ? '0.0.0.0' : options.host || 'localhost');
createServer((request, response) => {
  addSecurityHeaders(response);
  stampFormTokens(response, () => issueFormToken(secret));
  handler(request, response);
}).listen(port, host, () => console.log(`Serving on http://${host}:${port}/`));
