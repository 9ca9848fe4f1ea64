// `npm start`: checks the environment and the build, opens the database (creating or migrating
// it) before the server takes a request, says what is on, then serves the build; once the
// database has passed its check (src/server/db-watch.ts), records the build's pages and deletes
// messages past their retention (then and every hour). Every request passes through here first: what
// could break Astro's request handling is refused with a status (src/server/request-guard.ts),
// the collector is answered without Astro, and an unexpected error gets the 500 page while the
// server goes on serving everybody else.
// Usage: npm start [-- build folder, default dist]; run on its own, with ASTRO_NODE_AUTOSTART=disabled.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import compression from 'compression';
import { openServerStore, runCommand, type ServerStore } from './command.ts';
import { checkAdapterAutostartOff, ConfigError, type ServerConfig } from './config.ts';
import {
  createServerContext,
  provideServerContext,
  readSiteManifest,
  siteManifestFile,
  type ServerContext,
} from './context.ts';
import { answerHealth, isHealthPath } from './db-watch.ts';
import { syncPages } from './event-store.ts';
import { issueFormToken, stampFormTokens } from './form-token.ts';
import { recordRelease } from './follow-store.ts';
import { errorForLog, requestForLog } from './log-lines.ts';
import { deleteOldMails } from './mail-retention.ts';
import { resumeOutbox } from './outbox.ts';
import { deleteOldMessages } from './message-store.ts';
import { secretFileOf } from './secrets.ts';
import { hostHeaders, refusalText, refuseRequest } from './request-guard.ts';
import { addSecurityHeaders, securityHeadersFor } from './security-headers.ts';
import { builtWithEditor, editorStatusLine } from './editor-settings.ts';
import { editorRequestUrl } from './editor-routes.ts';
import { followForm, messageForm, paths } from '../site.config.ts';

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

function describe(config: ServerConfig, store: ServerStore, withEditor: boolean) {
  console.log(`Database: ${store.description}.`);
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
    config.secretFromOldName
      ? 'Secret: from REEKS_FORM_SECRET, its old name. Rename it to REEKS_SECRET; the old name will stop working.'
      : config.secret
        ? 'Secret: from REEKS_SECRET.'
        : `Secret: kept in ${secretFileOf(config.databasePath)} (or set REEKS_SECRET for several servers).`,
  );
  console.log(
    config.smtp
      ? `Following by e-mail: on, at most ${config.mailsPerMinute} mails a minute (REEKS_MAILS_PER_MINUTE).`
      : 'Following by e-mail: off (the follow form says so); it needs SMTP_HOST and SMTP_FROM.',
  );
  console.log(
    config.trustedProxies.length === 0
      ? 'Clients: told apart by their own address (REEKS_TRUSTED_PROXIES unset: no reverse proxy in front).'
      : `Clients: told apart by X-Forwarded-For from the reverse proxies at ${config.trustedProxies.join(', ')} (REEKS_TRUSTED_PROXIES), every other peer by its own address.`,
  );
  console.log(
    `Limits: IPv6 clients counted per /${config.ipv6Prefix} (REEKS_IPV6_PREFIX); a request body must arrive within ${config.bodyTimeoutSeconds} s (REEKS_BODY_TIMEOUT_SECONDS).`,
  );
  // The browser editor on the live site (docs/editor-on-the-live-site.md): only in a build made with its settings.
  console.log(editorStatusLine(config.editor ?? null, withEditor));
}

function keepDeletingOldMessages(context: ServerContext) {
  const { database, config } = context;
  const deleteExpired = async () => {
    try {
      const deleted = await database.transaction(async (tx) => {
        await deleteOldMails(tx, followForm.mailRecordDays, new Date());
        return deleteOldMessages(tx, config.messageRetentionDays, new Date());
      });
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

/**
 * The parts this release is the first to hold, recorded, and their mails queued to the series'
 * followers (src/server/follow-store.ts); then the outbox starts sending in the background.
 * The first release a database ever sees is recorded without mail.
 */
async function recordThisRelease(context: ServerContext, buildDir: string) {
  const { database, manifest, outbox } = context;
  // releases/<moment> under `current`, or the build folder's own name.
  const release = basename(realpathSync(buildDir));
  const parts = (manifest.followSeries ?? []).flatMap((series) => series.parts);
  try {
    const recorded = await database.transaction((tx) =>
      recordRelease(tx, { release, parts, now: new Date() }),
    );
    if (recorded.first)
      console.log(`Publications: ${parts.length} part(s) of release ${release} recorded, no mail for those.`);
    for (const part of recorded.first ? [] : recorded.newParts)
      console.log(`New part: part ${part.part} of ${part.series}, first in release ${release}.`);
    if (recorded.queued > 0)
      console.log(`Mail queued for ${recorded.queued.toLocaleString('en-US')} follower(s).`);
    // Always one line once the release is recorded: an operator (and a test) sees it was.
    if (!recorded.first)
      console.log(`Publications: release ${release} holds ${recorded.newParts.length} new part(s).`);
  } catch (error) {
    console.error(
      `Could not record the parts of this release (next start tries again): ${(error as Error).message}`,
    );
  }
  if (outbox) await resumeOutbox(outbox);
}

/** A web Request from Node's, for the handlers that are answered without Astro. */
function webRequestOf(request: IncomingMessage, path: string) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    headers,
    body: Readable.toWeb(request) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
}

/**
 * RFC 8058's one-click unsubscribe, POSTed by a mail client (often from its own servers): 200 with
 * no page, and no Origin check, form token or limit. The signature in the link is the check.
 * Without Astro, whose origin check would refuse a POST that names no Origin.
 */
async function unsubscribeOneClick(
  context: ServerContext,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const headers = { 'Cache-Control': 'no-store', 'Content-Type': 'text/plain; charset=utf-8' };
  if (request.method !== 'POST') {
    response.writeHead(405, { ...headers, Allow: 'POST' }).end('405 Method Not Allowed\n');
    return;
  }
  const url = new URL(request.url!, 'http://localhost');
  const outcome = await context.following.unsubscribeRequest(webRequestOf(request, url.pathname), url);
  if (outcome.kind === 'done') response.writeHead(200, headers).end();
  else response.writeHead(400, headers).end('Deze afmeldlink is niet geldig.\n');
}

/** POST /api/events/ without Astro's request pipeline: the same collector, several times the events per second. */
async function collectEvent(context: ServerContext, request: IncomingMessage, response: ServerResponse) {
  if (request.method !== 'POST') {
    response.writeHead(405, { Allow: 'POST', 'Cache-Control': 'no-store' }).end();
    return;
  }
  const webRequest = webRequestOf(request, collectorPath);
  const answer = await context.collect(
    webRequest,
    context.clientOf(webRequest, request.socket.remoteAddress),
  );
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.end(Buffer.from(await answer.arrayBuffer()));
}

/**
 * An answer given before its request's body has all arrived (a refusal, a body too slow) closes
 * the connection once it is sent: the rest of the body is never read, and its socket is let go
 * at once rather than held while Node drains what the client still sends.
 */
function closeWhenBodyUnread(request: IncomingMessage, response: ServerResponse) {
  const { writeHead } = response;
  response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!request.complete && !this.headersSent) this.setHeader('Connection', 'close');
    return (writeHead as (...args: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
}

/**
 * SIGTERM (a restart after the nightly publish, systemd's stop) and Ctrl+C: the mail being sent is
 * finished and marked, the rest of its batch goes back to the queue, so a planned restart leaves
 * no mail in doubt. A send that hangs does not hold the stop up for long: it is in doubt then.
 */
function stopGracefully(context: ServerContext, server: ReturnType<typeof createServer>) {
  const stop = async () => {
    server.close();
    const finished = await Promise.race([
      (context.outbox?.stop() ?? Promise.resolve()).then(() => true),
      new Promise<false>((resolveLate) => setTimeout(resolveLate, 10_000, false).unref()),
    ]);
    if (!finished)
      console.error('Stopped while a mail was being sent: the next start counts it as in doubt.');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

/** A page, not a file: small, and stamped with a fresh form token, so always sent whole. */
const isPage = (path: string) => path.endsWith('/') || path.endsWith('.html');

await runCommand(async (config) => {
  checkAdapterAutostartOff(process.env);
  const buildDir = resolve(process.argv[2] ?? 'dist');
  const build = checkBuild(buildDir, config);
  const store = await openServerStore(config);
  const { watch } = store;
  const context = createServerContext(config, build.manifest, store);
  describe(config, store, build.withEditor);
  watch.checked.then(
    () => {
      syncPages(context.database, build.manifest.pages).catch((error: Error) =>
        console.error(`Could not record the pages of this build: ${error.message}`),
      );
      void keepDeletingOldMessages(context);
      void recordThisRelease(context, buildDir);
    },
    (damaged: Error) => {
      console.error(damaged.message);
      process.exit(1);
    },
  );
  provideServerContext(Promise.resolve(context));

  // The adapter's bundle starts no server of its own (checkAdapterAutostartOff): this one serves it.
  const { handler } = await import(pathToFileURL(build.entry).href);
  const compress = compression();
  const securityHeaders = securityHeadersFor(config.siteUrl);

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
    if (loggedErrors++ < 100)
      console.error(`Could not answer ${requestForLog(request.method, request.url)}: ${errorForLog(error)}`);
    if (!response.headersSent) answer(response, 500);
    else response.destroy();
  };

  const bodyTimeoutMs = config.bodyTimeoutSeconds * 1000;
  const server = createServer(
    {
      // A backstop for requests no route reads (a POST to a page): Node answers 408 and closes
      // when a request has not all arrived a little after the routes' own time limit. Checked
      // each second rather than each 30 s, so stalled sockets are let go soon after.
      requestTimeout: bodyTimeoutMs + 5_000,
      headersTimeout: Math.min(10_000, bodyTimeoutMs + 5_000),
      connectionsCheckingInterval: 1_000,
    },
    (request, response) => {
      try {
        closeWhenBodyUnread(request, response);
        const refusal = refuseRequest(request.method, request.url, hostHeaders(request.rawHeaders));
        // Only a request the guard let through is a URL worth reading.
        if (!refusal && build.withEditor) request.url = editorRequestUrl(request.url!);
        addSecurityHeaders(response, refusal ? undefined : request.url, securityHeaders);
        if (refusal) return answer(response, refusal.status, refusal.headers);
        const path = request.url!.split('?')[0]!;
        // The error pages are pages for a status, never a 200 of their own; _headers is the
        // headers file for a static host (src/integrations/static-headers.ts), not a page.
        if (path === '/404.html' || path === '/500.html' || path === '/_headers')
          return answer(response, 404);
        if (isHealthPath(path)) return answerHealth(request, response, path, watch);
        // A part of a page would carry the form token's placeholder, not a token: pages ignore Range.
        if (isPage(path)) {
          delete request.headers.range;
          delete request.headers['if-range'];
        }
        if (path === collectorPath) {
          collectEvent(context, request, response).catch((error) => fail(request, response, error));
          return;
        }
        if (path === paths.unsubscribeOneClick) {
          unsubscribeOneClick(context, request, response).catch((error) => fail(request, response, error));
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
    },
  );
  // CONNECT (a proxy's method) never reaches the request handler: refuse it here, like TRACE.
  server.on('connect', (_request, socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(
      'HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
    );
  });
  // A request Node cannot even parse: 400 (or 431 for headers too large, 408 for headers or a
  // body that took too long), and the socket closed.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    socket.on('error', () => socket.destroy());
    // A request already being answered has a response on the wire: only close it.
    const answering = (socket as { _httpMessage?: ServerResponse })._httpMessage?.headersSent;
    if (!socket.writable || answering) return socket.destroy();
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  });
  // Whatever escapes every handler above (an error in an event callback) is logged; the server
  // keeps serving, with a supervisor as the second line of defence (docs/operating.md).
  process.on('uncaughtException', (error) =>
    console.error(`Unexpected error; the server goes on: ${errorForLog(error)}`),
  );

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
  stopGracefully(context, server);
  const { port } = server.address() as { port: number };
  console.log(`Serving on http://${config.host}:${port}/`);
});
