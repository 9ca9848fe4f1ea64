// `npm start`: checks the environment and the build, opens the database (creating or migrating
// it) before the server takes a request, deletes messages past their retention (now and every
// hour), says what is on, then serves the build. Every request passes through here first: what
// could break Astro's request handling is refused with a status (src/server/request-guard.ts),
// the collector is answered without Astro, and an unexpected error gets the 500 page while the
// server goes on serving everybody else.
// Usage: npm start [-- build folder, default dist]; run on its own, with ASTRO_NODE_AUTOSTART=disabled.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import compression from 'compression';
import { runCommand, openConfiguredDatabase } from './command.ts';
import { checkAdapterAutostartOff, ConfigError, type ServerConfig } from './config.ts';
import {
  createServerContext,
  provideServerContext,
  readSiteManifest,
  siteManifestFile,
  type ServerContext,
} from './context.ts';
import { writeTransaction } from './db.ts';
import { issueFormToken, stampFormTokens } from './form-token.ts';
import { deleteOldMessages } from './message-store.ts';
import { hostHeaders, refusalText, refuseRequest } from './request-guard.ts';
import { addSecurityHeaders, securityHeadersFor } from './security-headers.ts';
import { builtWithEditor, editorStatusLine } from './editor-settings.ts';
import { editorRequestUrl } from './editor-routes.ts';
import { messageForm } from '../site.config.ts';

const collectorPath = '/api/events/';

/** The build in `buildDir`, or a stop that says how to make one. */
function checkBuild(buildDir: string, config: ServerConfig) {
  const entry = join(buildDir, 'server', 'entry.mjs');
  if (!existsSync(entry) || !existsSync(siteManifestFile(buildDir))) {
    throw new ConfigError(`No build in ${buildDir}: run \`npm run build\` first.`);
  }
  const manifest = readSiteManifest(buildDir);
  if (manifest.messageRetentionDays !== config.messageRetentionDays) {
    throw new ConfigError(
      `REEKS_MESSAGE_RETENTION_DAYS is ${config.messageRetentionDays}, but the privacy page of this build promises ${manifest.messageRetentionDays} days: ` +
        `set the same value for \`npm run build\` and \`npm start\`.`,
    );
  }
  const page = (name: string) => readFileSync(join(buildDir, 'client', name));
  return {
    entry,
    manifest,
    notFoundPage: page('404.html'),
    errorPage: page('500.html'),
    withEditor: builtWithEditor(buildDir),
  };
}

function describe(config: ServerConfig, withEditor: boolean) {
  console.log(`Database: ${config.databasePath}`);
  console.log(
    config.report
      ? 'Report: on at /stats/ (log in with STATS_USER and STATS_PASSWORD).'
      : 'Report: off (/stats/ answers 404). To turn it on, start with STATS_USER and STATS_PASSWORD set:\n' +
          '  STATS_USER=marketing STATS_PASSWORD=<a secret of 12 characters or more> npm start',
  );
  console.log(`Messages: kept ${config.messageRetentionDays} days (REEKS_MESSAGE_RETENTION_DAYS).`);
  console.log(
    config.smtp
      ? `E-mail to authors: on, through ${config.smtp.host}:${config.smtp.port}.`
      : 'E-mail to authors: off (messages are in the report and in npm run messages). To mail each author, set\n' +
          '  SMTP_HOST and SMTP_FROM (and SMTP_PORT, SMTP_SECURE, SMTP_USER, SMTP_PASSWORD as your mail server needs).',
  );
  console.log(
    config.trustedProxies === 0
      ? 'Clients: told apart by their own address (REEKS_TRUSTED_PROXIES=0: no reverse proxy in front).'
      : `Clients: told apart by X-Forwarded-For behind ${config.trustedProxies} reverse ${config.trustedProxies === 1 ? 'proxy' : 'proxies'} (REEKS_TRUSTED_PROXIES).`,
  );
  // The browser editor on the live site (docs/editor-on-the-live-site.md): only in a build made with its settings.
  console.log(editorStatusLine(config.editor ?? null, withEditor));
}

function keepDeletingOldMessages(context: ServerContext) {
  const { db, config } = context;
  const deleteExpired = async () => {
    try {
      const deleted = await writeTransaction(db, () =>
        deleteOldMessages(db, config.messageRetentionDays, new Date()),
      );
      if (deleted > 0)
        console.log(`Deleted ${deleted} message(s) older than ${config.messageRetentionDays} days.`);
    } catch (error) {
      console.error(`Could not delete old messages (trying again in an hour): ${(error as Error).message}`);
    }
  };
  // Never the reason the process stays alive.
  setInterval(deleteExpired, messageForm.purgeEveryMs).unref();
  return deleteExpired();
}

/** POST /api/events/ without Astro's request pipeline: the same collector, several times the events per second. */
async function collectEvent(context: ServerContext, request: IncomingMessage, response: ServerResponse) {
  if (request.method !== 'POST') {
    response.writeHead(405, { Allow: 'POST', 'Cache-Control': 'no-store' }).end();
    return;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const webRequest = new Request(`http://localhost${collectorPath}`, {
    method: 'POST',
    headers,
    body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  const answer = await context.collect(
    webRequest,
    context.clientOf(webRequest, request.socket.remoteAddress),
  );
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.end(Buffer.from(await answer.arrayBuffer()));
  // A body refused for its size may still be arriving: do not read it.
  if (answer.status === 413) request.destroy();
}

await runCommand(async (config) => {
  checkAdapterAutostartOff(process.env);
  const buildDir = resolve(process.argv[2] ?? 'dist');
  const build = checkBuild(buildDir, config);
  const db = openConfiguredDatabase(config, { blockOnLock: false });
  const context = createServerContext(config, build.manifest, db);
  describe(config, build.withEditor);
  await keepDeletingOldMessages(context);
  provideServerContext(Promise.resolve(context));

  // The adapter's bundle starts no server of its own (checkAdapterAutostartOff): this one serves it.
  const { handler } = await import(pathToFileURL(build.entry).href);
  const compress = compression();
  const headers = securityHeadersFor(config.siteUrl);

  /** The site's own page for a status, or a line of text when it is not a page's business. */
  const answer = (response: ServerResponse, status: number, headers: Record<string, string> = {}) => {
    const page = status === 404 ? build.notFoundPage : status === 500 ? build.errorPage : undefined;
    response.writeHead(status, {
      ...headers,
      'Cache-Control': 'no-store',
      'Content-Type': page ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
    });
    response.end(page ?? refusalText(status));
  };

  let loggedErrors = 0;
  const fail = (request: IncomingMessage, response: ServerResponse, error: unknown) => {
    // Logged once per request, and not endlessly when something keeps failing.
    if (loggedErrors++ < 100) console.error(`Could not answer ${request.method} ${request.url}:`, error);
    if (!response.headersSent) answer(response, 500);
    else response.destroy();
  };

  const server = createServer((request, response) => {
    try {
      const refusal = refuseRequest(request.method, request.url, hostHeaders(request.rawHeaders));
      // Only a request the guard let through is a URL worth reading.
      if (!refusal && build.withEditor) request.url = editorRequestUrl(request.url!);
      addSecurityHeaders(response, refusal ? undefined : request.url, headers);
      if (refusal) return answer(response, refusal.status, refusal.headers);
      const path = request.url!.split('?')[0];
      // The error pages are pages for a status, never a 200 of their own.
      if (path === '/404.html' || path === '/500.html') return answer(response, 404);
      if (path === collectorPath) {
        collectEvent(context, request, response).catch((error) => fail(request, response, error));
        return;
      }
      compress(request as never, response as never, () => {
        try {
          stampFormTokens(response, () => issueFormToken(context.formSecret));
          const handled = handler(request, response);
          if (handled instanceof Promise) handled.catch((error: unknown) => fail(request, response, error));
        } catch (error) {
          fail(request, response, error);
        }
      });
    } catch (error) {
      fail(request, response, error);
    }
  });
  // CONNECT (a proxy's method) never reaches the request handler: refuse it here, like TRACE.
  server.on('connect', (_request, socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(
      'HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
    );
  });
  // A request Node cannot even parse: 400 (or 431 for headers too large), and the socket closed.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    socket.on('error', () => socket.destroy());
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  });
  // Whatever escapes every handler above (an error in an event callback) is logged; the server
  // keeps serving, with a supervisor as the second line of defence (docs/operating.md).
  process.on('uncaughtException', (error) => console.error('Unexpected error; the server goes on:', error));

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${config.host}:${config.port}`;
      if (error.code === 'EADDRINUSE')
        reject(
          new ConfigError(
            `PORT ${config.port} is already in use on ${config.host}: stop what uses it, or set PORT to a free port.`,
          ),
        );
      else if (error.code === 'EACCES')
        reject(
          new ConfigError(
            `PORT ${config.port} needs more rights than this user has: set PORT to 1024 or higher.`,
          ),
        );
      else if (['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL'].includes(error.code ?? '')) {
        reject(
          new ConfigError(
            `HOST ${config.host} is not an address of this machine: set HOST to one (e.g. 0.0.0.0 for all, or localhost).`,
          ),
        );
      } else reject(new ConfigError(`Cannot listen on ${where}: ${error.message}. Check PORT and HOST.`));
    });
    server.listen(config.port, config.host, () => resolveListen());
  });
  const { port } = server.address() as { port: number };
  console.log(`Serving on http://${config.host}:${port}/`);
});
